import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig } from './common/config/config';
import { JsonLogger } from './common/logging/json-logger';
import { requestLogger } from './common/logging/request-logger.middleware';
import { queryCount } from './common/http/query-count.middleware';
import { requireJsonBodies } from './common/http/json-bodies.middleware';
import { setupOpenApi } from './common/openapi/openapi';
import { createValidationPipe } from './common/validation/validation.pipe';

/** Builds the whole HTTP + websocket application, configured but not yet listening. */
export async function createApp(config: AppConfig, logger = new JsonLogger(config.logLevel)) {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.set('x-powered-by', false);
  app.use(requestLogger(logger));
  if (config.exposeQueryCount) {
    app.use(queryCount());
  }
  app.use(requireJsonBodies());
  app.useBodyParser('json', { limit: config.limits.jsonBodyBytes });
  if (config.exposeQueryCount) {
    app.use(queryCount());
  }
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  return app;
}
