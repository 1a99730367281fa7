import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE codes the services react to. */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

const sqlState = (error: unknown): string | undefined =>
  error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;

export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === UNIQUE_VIOLATION;
export const isForeignKeyViolation = (error: unknown): boolean => sqlState(error) === FOREIGN_KEY_VIOLATION;

/** SQLSTATE classes and codes of a database that is down, restarting or unreachable. */
const UNAVAILABLE_STATES = ['57P01', '57P02', '57P03', '53300'];
const UNAVAILABLE_CODES = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'];
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether the error says the database cannot be reached right now (restarting, failing over, out of
 * connections) rather than that the request was wrong: such requests answer 503 and may be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') {
    return false;
  }
  const candidates = [error, (error as { driverError?: unknown }).driverError].filter(
    (candidate): candidate is { code?: unknown; message?: unknown } =>
      typeof candidate === 'object' && candidate !== null,
  );
  return candidates.some(({ code, message }) => {
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_CODES.includes(code) || UNAVAILABLE_STATES.includes(code) || code.startsWith('08'))
    ) {
      return true;
    }
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
  });
}
