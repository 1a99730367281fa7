import { AppConfig, ConfigError, loadConfig } from './common/config/config';
import { JsonLogger } from './common/logging/json-logger';
import { createApp } from './app';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`df-chat: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  logger.write('info', 'listening', {
    url: `http://${config.host}:${address.port}`,
    database: config.databaseUrl ? 'postgresql' : 'embedded',
    bus: config.redisUrl ? 'redis' : 'in-process',
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.write('info', 'shutting down', { signal });
    try {
      // Stop accepting first; app.close() then closes the websockets (1001), lets the requests in
      // flight finish, and closes the database.
      app.getHttpServer().close();
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.write('error', 'shutdown failed', { error: String(error) });
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`df-chat: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
