import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { destination, LevelWithSilent, Logger, LoggerOptions, pino, stdTimeFunctions } from 'pino';
import { pinoHttp } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/config';

/** An incoming `X-Request-Id` is kept when it is this tame (a proxy's id); otherwise a new one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Where a secret could sit in what is logged; the request lines below carry none of these anyway. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.token',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

/** `/chat/r/?token=eyJ…&x=1` → `/chat/r/?token=[redacted]&x=1`: a token in a link is a password. */
export const redactUrl = (url: string): string => url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');

interface RequestLine {
  msg?: string;
  method?: string;
  url?: string;
  status?: number;
  ms?: number;
}

/** On a terminal: one line per entry, a request as `GET /path 200 3ms`, other fields after it. */
function prettyStream() {
  return pretty({
    destination: 1,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,method,url,status,ms',
    messageFormat: (log: RequestLine) =>
      log.method && log.status !== undefined
        ? `${log.method} ${log.url ?? ''} ${log.status} ${log.ms ?? 0}ms`
        : [log.msg ?? '', log.url ?? ''].filter(Boolean).join(' '),
  });
}

/**
 * The process's one logger: JSON lines on stdout (what log collectors read), or readable lines when a
 * developer runs the app on a terminal. LOG_LEVEL sets the threshold.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'nodeEnv'>): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: null,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
  };
  if (config.nodeEnv === 'development' && process.stdout.isTTY) {
    return pino(options, prettyStream());
  }
  return pino(
    { ...options, timestamp: stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    // Lines are written when the event loop is free rather than one system call each.
    destination({ dest: 1, sync: false }),
  );
}

function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** A server error is an error; a client's mistake (4xx) is worth a look, not an alarm. */
export function levelOf(status: number, error?: Error): LevelWithSilent {
  if (error || status >= 500) {
    return 'error';
  }
  return status >= 400 ? 'warn' : 'info';
}

type ExpressRequest = IncomingMessage & { originalUrl?: string; ip?: string };

const requestFields = (request: ExpressRequest, response: ServerResponse, ms: number) => ({
  method: request.method,
  url: redactUrl(request.originalUrl ?? request.url ?? ''),
  status: response.statusCode,
  ms,
  ip: request.ip,
});

/**
 * One line per request when it ends, at the level its status deserves. Every line logged while the
 * request is handled carries its `request_id`, which the client gets back in `X-Request-Id`.
 */
export function createHttpLogger(logger: Logger) {
  return pinoHttp<ExpressRequest>({
    logger,
    genReqId: requestId,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'request_id', responseTime: 'ms' },
    customLogLevel: (_request, response, error) => levelOf(response.statusCode, error),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (request, response, value: { ms: number }) => requestFields(request, response, value.ms),
    customErrorObject: (request, response, error: Error, value: { ms: number }) => ({
      ...requestFields(request, response, value.ms),
      // pino-http makes up an error for a 5xx status; the filter that answered already logged the real one.
      ...(response.statusCode >= 500 && /^failed with status code/.test(error.message) ? {} : { err: error }),
    }),
  });
}
