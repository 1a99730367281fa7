import { AppError } from '../common/errors/app-error';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The command line is wrong (unknown command or option, missing argument, malformed value): exit 2. */
export class UsageError extends Error {}

/** The command was understood but could not be done (not found, conflict, database trouble): exit 1. */
export class CommandFailed extends Error {}

/** What commander throws once told to throw instead of exiting; it has printed its message already. */
interface CommanderError {
  code: string;
  exitCode: number;
}

const isCommanderError = (error: unknown): error is CommanderError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as CommanderError).code === 'string' &&
  (error as CommanderError).code.startsWith('commander.') &&
  typeof (error as CommanderError).exitCode === 'number';

export function exitCodeOf(error: unknown): number {
  if (isCommanderError(error)) {
    // Help asked for exits 0; any other complaint of the parser is a usage error.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

/** One line for stderr, or null when the parser has said it already. */
export function messageOf(error: unknown): string | null {
  if (isCommanderError(error)) {
    return null;
  }
  if (error instanceof AppError) {
    return error.entries.map((entry) => entry.message).join('; ');
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unexpected error';
}

/** Prints the error as one line on stderr and tells the exit code it deserves. */
export function reportError(error: unknown): number {
  const message = messageOf(error);
  if (message !== null) {
    process.stderr.write(`error: ${message}\n`);
  }
  return exitCodeOf(error);
}
