import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AppConfig } from './common/config/config';
import type { Logger } from 'pino';
import helmet from 'helmet';
import responseTime from 'response-time';
import { AppLogger } from './common/logging/app-logger';
import { createHttpLogger, createRootLogger } from './common/logging/logging';
import { queryCount } from './common/http/query-count.middleware';
import { requireJsonBodies } from './common/http/json-bodies.middleware';
import { setupOpenApi } from './common/openapi/openapi';
import { MEDIA_PATH } from './common/storage/storage.module';
import { createValidationPipe } from './common/validation/validation.pipe';
import { findViewsDir, registerPartials, staticVersion } from './pages/views';
import { PushOnlyWsAdapter } from './realtime/push-only-ws.adapter';

/** Builds the whole HTTP + websocket application, configured but not yet listening. */
export async function createApp(config: AppConfig, logger: Logger = createRootLogger(config)) {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: AppLogger.create(logger),
    bodyParser: false,
    // A failure to start is thrown to the caller (`main.ts` says it in one line and exits 1).
    abortOnError: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.set('x-powered-by', false);
  app.use(createHttpLogger(logger));
  // How long the server took, up to the response headers (read by the benchmarks).
  app.use(responseTime((_request, response, ms) => response.setHeader('Server-Timing', `app;dur=${ms.toFixed(3)}`)));
  setupCrossOrigin(app, config);
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

/**
 * Helmet's headers on every response; its content policy allows what the Swagger UI needs (its inline
 * styles), and does not upgrade requests to https, which a plain-http deployment would break. The
 * pages set their own, stricter policy over it. Browsers on CORS_ORIGINS may call the API with a
 * bearer token; any other origin gets no CORS header at all.
 */
function setupCrossOrigin(app: NestExpressApplication, config: AppConfig): void {
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  // Uploaded images are public by their unguessable URL and shown by pages of other origins (a CDN at
  // PUBLIC_URL, a frontend on CORS_ORIGINS), which helmet's default same-origin policy would block.
  app.use(MEDIA_PATH, (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  if (config.corsOrigins.length === 0) {
    return;
  }
  const allowed = new Set(config.corsOrigins);
  // Answers differ by origin, so no cache may hand one origin's answer to another.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.vary('Origin');
    next();
  });
  app.enableCors((request: Request, done) => {
    const origin = request.headers.origin;
    done(
      null,
      origin && allowed.has(origin)
        ? {
            origin,
            methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
            allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
            exposedHeaders: ['X-Request-Id', 'Retry-After', 'Server-Timing'],
            maxAge: 600,
          }
        : { origin: false },
    );
  });
}
