import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { JsonLogger } from './json-logger';

/** Logs one line per request when it finishes, with a request id the client also gets back. */
export function requestLogger(logger: JsonLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    response.setHeader('X-Request-Id', id);
    response.on('finish', () => {
      const status = response.statusCode;
      logger.write(status >= 500 ? 'error' : 'info', 'request', {
        request_id: id,
        method: request.method,
        path: request.path,
        status,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        ip: request.ip,
      });
    });
    next();
  };
}
