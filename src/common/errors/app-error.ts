/**
 * Every error a client can see has one of these codes. The HTTP status of each is decided in one place
 * (`statusOf`), so services only say what went wrong. The list also feeds the OpenAPI `code` enum.
 */
export const ERROR_CODES = [
  'invalid',
  'required',
  'unknown_field',
  'malformed_json',
  'not_authenticated',
  'invalid_credentials',
  'permission_denied',
  'signup_disabled',
  'not_found',
  'method_not_allowed',
  'conflict',
  'history_expired',
  'payload_too_large',
  'unsupported_media_type',
  'throttled',
  'service_unavailable',
  'server_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorEntry {
  message: string;
  code: ErrorCode;
  field?: string;
}

export class AppError extends Error {
  readonly entries: ErrorEntry[];
  /** Sent as `Retry-After` (seconds), for a limit the client may try again after. */
  retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.entries = [field === undefined ? { message, code } : { message, code, field }];
  }

  static many(entries: ErrorEntry[]): AppError {
    const error = new AppError(entries[0].code, entries[0].message, entries[0].field);
    error.entries.splice(0, 1, ...entries);
    return error;
  }

  get code(): ErrorCode {
    return this.entries[0].code;
  }
}

/** Over a rate limit: 429 with `Retry-After`. */
export function throttled(message: string, retryAfterSeconds: number): AppError {
  const error = new AppError('throttled', message);
  error.retryAfterSeconds = retryAfterSeconds;
  return error;
}

/** Busy for now: 503 with `Retry-After`. */
export function busy(message: string, retryAfterSeconds: number): AppError {
  const error = new AppError('service_unavailable', message);
  error.retryAfterSeconds = retryAfterSeconds;
  return error;
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const forbidden = (message: string): AppError => new AppError('permission_denied', message);
export const invalid = (field: string, message: string): AppError => new AppError('invalid', message, field);

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid':
    case 'required':
    case 'unknown_field':
    case 'malformed_json':
      return 400;
    case 'not_authenticated':
    case 'invalid_credentials':
      return 401;
    case 'permission_denied':
    case 'signup_disabled':
      return 403;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'conflict':
      return 409;
    case 'history_expired':
      return 410;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'throttled':
      return 429;
    case 'service_unavailable':
      return 503;
    case 'server_error':
      return 500;
  }
}
