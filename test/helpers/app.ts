import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createTestDatabase, TestDatabase, usingPostgres } from './database';

const MAIN = resolve(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface TestApp {
  url: string;
  wsUrl: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  /** Sends a signal and waits for the exit; resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Instances given the same database share it (PostgreSQL only). */
  database?: TestDatabase;
  dataDir?: string;
}

/**
 * The Redis namespace of one test deployment: the instances (and CLI runs) on one database share it,
 * and no two deployments do, so that what one counts in Redis (failed sign-ins, presence) is not seen
 * by tests running beside it.
 */
export const redisPrefixOf = (database: TestDatabase | undefined, dataDir: string): string =>
  `dfchat-test:${basename(database ? new URL(database.url).pathname : dataDir)}`;

/** The address in the app's `listening` log line (JSON, as in production and tests), once it is out. */
export function listeningUrl(output: string): string | undefined {
  for (const line of output.split('\n')) {
    if (line.includes('"listening"')) {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) {
          return entry.url;
        }
      } catch {
        // A line still being written.
      }
    }
  }
  return undefined;
}

/** Starts the built app (`dist/`) as its own process on a free port and waits until it listens. */
export async function startApp(options: StartOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dfchat-test-'));
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    DATABASE_URL: options.database?.url,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: redisPrefixOf(options.database, dataDir),
    // Tests post, upload, register and connect from one address as fast as they can; the limits'
    // own tests set them low again.
    RATE_MESSAGES_PER_SECOND: '100000',
    RATE_MESSAGES_BURST: '100000',
    RATE_UPLOADS: '100000',
    RATE_REGISTRATIONS: '100000',
    WS_MAX_CONNECTIONS_PER_USER: '1000',
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN], { env: env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`app did not start in time:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = listeningUrl(output);
      if (url) {
        clearTimeout(timer);
        done(url);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`app exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    dataDir,
    process: child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
      const code = await exited;
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
      return code;
    },
  };
}

/** An app on a database of its own: a fresh PostgreSQL database when DATABASE_URL is set, else embedded. */
export async function startIsolatedApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const database = usingPostgres() ? await createTestDatabase() : undefined;
  const app = await startApp({ env, database });
  const stop = app.stop.bind(app);
  app.stop = async (signal) => {
    const code = await stop(signal);
    await database?.drop();
    return code;
  };
  return app;
}
