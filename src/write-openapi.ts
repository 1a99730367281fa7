import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './common/config/config';
import { createRootLogger } from './common/logging/logging';
import { buildOpenApiDocument } from './common/openapi/openapi';

/**
 * Writes the OpenAPI document of the app as configured (PUBLIC_URL, limits) to the file named, or to
 * stdout, without starting it: in preview mode Nest resolves the modules and routes but creates no
 * provider, so nothing connects to a database.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot(config, createRootLogger(config)), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const json = `${JSON.stringify(buildOpenApiDocument(app, config), null, 2)}\n`;
  await app.close();
  const target = process.argv[2];
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
