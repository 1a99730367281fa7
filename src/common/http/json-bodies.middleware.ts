import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors/app-error';

const ACCEPTED_TYPES = ['application/json', '+json', 'multipart/form-data'];

/**
 * The API reads JSON (and multipart uploads). A body of any other type would otherwise reach the
 * handlers as an empty object and be refused for its missing fields; say what is wrong instead.
 */
export function requireJsonBodies() {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length']) > 0;
    if (hasBody && request.path.startsWith('/api/') && request.is(ACCEPTED_TYPES) === false) {
      next(new AppError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json)'));
      return;
    }
    next();
  };
}
