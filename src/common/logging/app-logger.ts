import { Logger as NestPinoLogger, Params, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

/** Nest's own start-up chatter (a line per module and route); shown at LOG_LEVEL=debug. */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

/** Nest's logger, writing through the root logger, inside a request with that request's id. */
export class AppLogger extends NestPinoLogger {
  static create(logger: Logger): AppLogger {
    const params: Params = { pinoHttp: { logger }, useExisting: true };
    return new AppLogger(new PinoLogger(params), params);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
      super.debug(message, ...optionalParams);
      return;
    }
    super.log(message, ...optionalParams);
  }
}
