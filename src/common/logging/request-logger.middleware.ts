import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { JsonLogger } from './json-logger';

const elapsedMs = (since: bigint): number => Number((process.hrtime.bigint() - since) / 1000n) / 1000;

/**
 * Logs one line per request when it finishes, with a request id the client also gets back, and tells
 * the client how long the server took (`Server-Timing: app;dur=<ms>`, up to the response headers).
 */
export function requestLogger(logger: JsonLogger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    response.setHeader('X-Request-Id', id);
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((...args: unknown[]) => {
      if (!response.headersSent) {
        response.setHeader('Server-Timing', `app;dur=${elapsedMs(started)}`);
      }
      return writeHead(...args);
    }) as Response['writeHead'];
    response.on('finish', () => {
      const status = response.statusCode;
      logger.write(status >= 500 ? 'error' : 'info', 'request', {
        request_id: id,
        method: request.method,
        path: request.path,
        status,
        ms: elapsedMs(started),
        ip: request.ip,
      });
    });
    next();
  };
}
