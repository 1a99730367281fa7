import { ChildProcess, execFile, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { WorkerCommand } from './messages';
import { nowMs } from './stats';

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const WORKER = join(ROOT, 'dist', 'bench', 'workers', 'load.js');

/** Many sockets need many descriptors: as high as the hard limit allows. */
export const RAISE_FD_LIMIT = 'ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn)';

export type Env = Record<string, string | undefined>;

/** A PostgreSQL database of the run's own, created on the configured server and dropped after. */
export interface BenchDatabase {
  url: string;
  /** Refreshes the planner's statistics, as autovacuum does within a minute of such changes on a live database. */
  analyze(): Promise<void>;
  drop(): Promise<void>;
}

export async function createDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `dfchat_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const run = async (database: string, sql: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run('postgres', `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    analyze: () => run(name, 'ANALYZE'),
    drop: () => run('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Runs one admin CLI command to completion and returns what it printed. */
export function runCli(env: Env, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [CLI, ...args], { env: env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? fail(new Error(`cli ${args[0]} failed: ${stderr || error.message}`)) : done(stdout),
    );
  });
}

export interface AppProcess {
  url: string;
  wsUrl: string;
  pid: number;
  /** ms from spawn to the first /health 200. */
  startMs: number;
  /** When it was spawned (epoch ms, as `nowMs`). */
  startedAt: number;
  rssKb(): number;
  /** CPU time the process has used so far (user and system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Linux's clock tick, in which /proc reports CPU times (USER_HZ, 100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/** The machine's CPU time since boot, all cores together, in seconds: busy, and in all. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is counted in user already)
  const ticks = fields.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: (total - ticks[3] - ticks[4]) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/**
 * Extra Node flags for the app processes, e.g. `BENCH_APP_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`
 * to profile the app under a workload (Node does not accept `--cpu-prof` in NODE_OPTIONS).
 */
const APP_NODE_FLAGS = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

/**
 * Starts `node dist/src/main.js` as a child (with a raised descriptor limit, for many sockets), its log
 * to a file, and waits for /health to answer 200. `nodeFlags` are this instance's own, after the run's.
 */
export async function startApp(
  env: Env,
  logFile: string,
  { timeoutMs = 60_000, nodeFlags = [] }: { timeoutMs?: number; nodeFlags?: string[] } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const started = nowMs();
  const child: ChildProcess = spawn(
    'bash',
    ['-c', `${RAISE_FD_LIMIT}; exec "$0" "$@"`, process.execPath, ...APP_NODE_FLAGS, ...nodeFlags, MAIN],
    {
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (gone) {
      throw new Error(
        `the app exited before it was healthy; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
    }
    if (nowMs() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the app was not healthy within ${timeoutMs} ms; see ${logFile}`);
    }
    const ok = await fetch(`${url}/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) {
      break;
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  const startMs = nowMs() - started;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    pid: child.pid!,
    startMs,
    startedAt: started,
    rssKb: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) : NaN;
    },
    cpuSeconds: () => {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    async stop() {
      if (!gone) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A forked load-generating process: send it a command, get its result. */
export interface Worker {
  run<T>(command: WorkerCommand): Promise<T>;
  stop(): Promise<void>;
}

export function forkWorker(): Worker {
  // Forked: its own process and event loop; it inherits the descriptor limit run.ts raised.
  const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let pending: { done: (value: unknown) => void; fail: (error: Error) => void } | undefined;
  child.on('message', (reply: { ok: boolean; result?: unknown; error?: string }) => {
    const waiter = pending;
    pending = undefined;
    if (reply.ok) {
      waiter?.done(reply.result);
    } else {
      waiter?.fail(new Error(reply.error));
    }
  });
  void exited.then(() => pending?.fail(new Error('a load process exited')));
  return {
    run<T>(command: WorkerCommand) {
      return new Promise<T>((done, fail) => {
        pending = { done: done as (value: unknown) => void, fail };
        child.send(command);
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
