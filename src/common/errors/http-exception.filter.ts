import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/postgres-errors';
import { AppError, ErrorCode, ErrorEntry, statusOf } from './app-error';

/** Seconds a client is told to wait when the database cannot be reached. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'not_authenticated';
    case 403:
      return 'permission_denied';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'throttled';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'server_error' : 'invalid';
  }
}

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

/** Turns anything thrown while handling a request into the contract's error shape. */
export function toErrorResponse(exception: unknown): {
  status: number;
  entries: ErrorEntry[];
  retryAfterSeconds?: number;
} {
  if (exception instanceof AppError) {
    return {
      status: statusOf(exception.code),
      entries: exception.entries,
      retryAfterSeconds: exception.retryAfterSeconds,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const cause = exception.cause as BodyParserError | undefined;
    if (cause?.type === 'entity.parse.failed') {
      return { status: 400, entries: [{ code: 'malformed_json', message: 'The request body is not valid JSON' }] };
    }
    if (status === 413 || cause?.type === 'entity.too.large') {
      return { status: 413, entries: [{ code: 'payload_too_large', message: 'The request body is too large' }] };
    }
    let message = exception.message;
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const raw = response.message;
      message = Array.isArray(raw) ? raw.join('; ') : String(raw);
    }
    if (status === 404 && message.startsWith('Cannot ')) {
      message = 'No such route';
    }
    return { status, entries: [{ code: codeForStatus(status), message }] };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      status: 503,
      entries: [
        { code: 'service_unavailable', message: 'The database cannot be reached right now; try again shortly' },
      ],
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  }
  const parserError = exception as BodyParserError | null;
  if (parserError && typeof parserError === 'object' && parserError.type === 'entity.parse.failed') {
    return { status: 400, entries: [{ code: 'malformed_json', message: 'The request body is not valid JSON' }] };
  }
  if (parserError && typeof parserError === 'object' && parserError.type === 'entity.too.large') {
    return { status: 413, entries: [{ code: 'payload_too_large', message: 'The request body is too large' }] };
  }
  const status = parserError?.status ?? parserError?.statusCode;
  if (parserError?.expose && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, entries: [{ code: codeForStatus(status), message: 'The request could not be read' }] };
  }
  return { status: 500, entries: [{ code: 'server_error', message: 'Internal server error' }] };
}

/**
 * What every filter does first: the error's status and entries, the stack logged for an unexpected
 * one, and the response to write to, or null when the answer has already started (it is ended).
 */
export function handleFailure(exception: unknown, host: ArgumentsHost, logger: Logger) {
  const failure = toErrorResponse(exception);
  if (failure.status >= 500) {
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  } else {
    // The request's own line gives only the status; this says which mistake it was.
    logger.debug(`answered ${failure.status}: ${failure.entries.map((entry) => entry.code).join(', ')}`);
  }
  const response = host.switchToHttp().getResponse<Response>();
  if (response.headersSent) {
    response.end();
    return { ...failure, response: null };
  }
  return { ...failure, response };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, entries, retryAfterSeconds, response } = handleFailure(exception, host, this.logger);
    if (response && retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(retryAfterSeconds));
    }
    if (status === 401) {
      // HTTP requires the scheme on every 401 (RFC 9110); the API takes bearer tokens (RFC 6750).
      response?.setHeader('WWW-Authenticate', 'Bearer realm="df-chat"');
    }
    response?.status(status).json({ errors: entries });
  }
}
