import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './common/config/config';
import { createRootLogger } from './common/logging/logging';
import { buildOpenApiDocument, componentSchemas } from './common/openapi/openapi';
import { ASYNCAPI_MODELS, buildAsyncApiDocument } from './realtime/asyncapi/asyncapi-document';
import { websocketServerOf } from './realtime/asyncapi/websocket-server';

/**
 * Writes the OpenAPI document of the app as configured (PUBLIC_URL, limits) to the file named, or to
 * stdout, without starting it: in preview mode Nest resolves the modules and routes but creates no
 * provider, so nothing connects to a database. With `--asyncapi`, the AsyncAPI document of its websocket
 * (the server's host is PUBLIC_URL's, else localhost).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot(config, createRootLogger(config)), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const args = process.argv.slice(2);
  const asyncApi = args.includes('--asyncapi');
  const document = asyncApi
    ? buildAsyncApiDocument(
        componentSchemas(app, config, ASYNCAPI_MODELS),
        websocketServerOf(config.publicUrl, { protocol: 'http', host: 'localhost' }),
      )
    : buildOpenApiDocument(app, config);
  const json = `${JSON.stringify(document, null, 2)}\n`;
  await app.close();
  const target = args.find((arg) => arg !== '--asyncapi');
  if (target) {
    writeFileSync(target, json);
  } else {
    process.stdout.write(json);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`write-openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
