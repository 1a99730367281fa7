import type { Server } from 'node:net';
import { AppConfig, ConfigError, loadConfig } from './common/config/config';
import { addAcceptLanes, closeAcceptLanes } from './common/http/accept-lanes';
import { createRootLogger } from './common/logging/logging';
import { createApp } from './app';

/** Pending connections the kernel queues for the app (capped by net.core.somaxconn). */
const LISTEN_BACKLOG = 4096;
/** How long shutdown waits for the connections accepted on the other descriptors (the server's own are waited for by app.close()). */
const LANES_DRAIN_MS = 5_000;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.problems.map((problem) => `df-chat: configuration error: ${problem}\n`).join(''));
      process.exit(1);
    }
    throw error;
  }
  const logger = createRootLogger(config);
  logger.info(
    {
      node_env: config.nodeEnv,
      database: config.databaseUrl ? 'postgresql' : 'embedded',
      bus: config.redisUrl ? 'redis' : 'in-process',
    },
    'starting',
  );
  const app = await createApp(config, logger);
  // A deep accept queue: a crowd reconnecting at once (a deploy, a network blip) would otherwise overflow
  // Node's default of 511, and each connection over it waits for the client's SYN retry, a second or more.
  // Nest hands the arguments after the port to Node's `server.listen(port, host, backlog)`; its types omit backlog.
  const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
  await listen(config.port, config.host, LISTEN_BACKLOG);
  const httpServer = app.getHttpServer() as Server;
  const lanes = await addAcceptLanes(httpServer, config.acceptLanes, LISTEN_BACKLOG, (error) =>
    logger.warn({ err: error }, 'accept lanes: accepting on one'),
  );
  const address = httpServer.address() as { port: number };
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info({ url, accept_lanes: lanes.length + 1 }, 'listening');
  logger.info({ url: `${url}/chat/` }, 'chat pages');
  logger.info({ url: `${url}/api/v1/swagger/` }, 'API docs');
  logger.info({ url: `${url}/api/v1/schema/` }, 'OpenAPI document');
  logger.info({ url: `${url}/api/v1/asyncapi/` }, 'AsyncAPI document (websocket)');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      // Stop accepting first; app.close() then closes the websockets (1001), lets the requests in
      // flight finish, and closes the database.
      const lanesDrained = closeAcceptLanes(lanes, LANES_DRAIN_MS);
      httpServer.close();
      await app.close();
      await lanesDrained;
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
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
