import 'reflect-metadata';
import { join } from 'node:path';
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
import { findViewsDir, registerPartials, staticVersion } from './pages/views';
import { PushOnlyWsAdapter } from './realtime/push-only-ws.adapter';

/** Builds the whole HTTP + websocket application, configured but not yet listening. */
export async function createApp(config: AppConfig, logger = new JsonLogger(config.logLevel)) {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
    // A failure to start is thrown to the caller (`main.ts` says it in one line and exits 1).
    abortOnError: false,
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
  setupViews(app, config);
  app.useWebSocketAdapter(new PushOnlyWsAdapter(app));
  setupOpenApi(app, config);
  return app;
}

/** Handlebars pages from `views/`, and their scripts and styles from `views/static/` under `/static/<version>/`. */
function setupViews(app: NestExpressApplication, config: AppConfig): void {
  const viewsDir = findViewsDir();
  const staticDir = join(viewsDir, 'static');
  const assets = `/static/${staticVersion(staticDir)}`;
  registerPartials(viewsDir);
  app.setBaseViewsDir(viewsDir);
  app.setViewEngine('hbs');
  app.set('view cache', config.nodeEnv !== 'development');
  app.setLocal('assets', assets);
  app.useStaticAssets(staticDir, {
    prefix: `${assets}/`,
    index: false,
    redirect: false,
    maxAge: '365d',
    immutable: true,
    setHeaders: (response: { setHeader(name: string, value: string): void }) => {
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    },
  });
}
