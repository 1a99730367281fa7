import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  url: string;
  start(): Promise<void>;
  /** Stops it the way a crash would (no shutdown checkpoint, connections cut). */
  crash(): Promise<void>;
  destroy(): Promise<void>;
}

const BIN = (() => {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0], 'bin');
})();

/** Runs a PostgreSQL binary as the `postgres` user when this process is root (PostgreSQL refuses root). */
const asPostgres = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, command), ...args]]
    : [join(BIN, command), args];

/**
 * A PostgreSQL server of a test's own, on a free port, that the test may crash and start again without
 * disturbing the machine's server that the other tests use.
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dfchat-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    );
    chmodSync(dir, 0o700);
  }
  const [initdb, initArgs] = asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });
  let server: ChildProcess | undefined;
  const start = async () => {
    const [postgres, args] = asPostgres('postgres', [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    server = spawn(postgres, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => chunk.toString().includes('ready to accept connections') && resolve();
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.once('exit', (code) => reject(new Error(`postgres exited with ${code}`)));
    });
  };
  const crash = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      // SIGQUIT: immediate shutdown, as after a crash (recovery from the WAL at the next start).
      if (process.getuid?.() === 0) {
        execFileSync('pkill', ['-QUIT', '-f', `postgres -D ${data}`]);
      } else {
        server.kill('SIGQUIT');
      }
      await exited;
    }
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    crash,
    async destroy() {
      await crash();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis of its own on a free port, that a test can stop and start again on the same port. */
export async function privateRedis(): Promise<{ url: string; start(): Promise<void>; kill(): Promise<void> }> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'pipe' });
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.on('data', (data: Buffer) => data.toString().includes('Ready to accept') && resolve());
      server!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
  };
  const kill = async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, kill };
}

/** A Redis Cluster of three masters (no replicas) on free ports, from the machine's `redis-server`. */
export async function privateRedisCluster(): Promise<{ nodes: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dfchat-redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const servers = await Promise.all(
    ports.map(async (port) => {
      const server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        { stdio: 'pipe' },
      );
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (data: Buffer) => data.toString().includes('Ready to accept') && resolve());
        server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
      });
      return server;
    }),
  );
  execFileSync(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
    {
      stdio: 'ignore',
    },
  );
  for (let tries = 0; ; tries++) {
    const info = execFileSync('redis-cli', ['-p', String(ports[0]), 'cluster', 'info']).toString();
    if (info.includes('cluster_state:ok')) {
      break;
    }
    if (tries > 100) {
      throw new Error('the Redis Cluster did not come up');
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    async stop() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise((resolve) => {
              server.once('exit', resolve);
              server.kill('SIGKILL');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
