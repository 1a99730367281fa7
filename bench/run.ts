/**
 * `npm run bench`: starts the app as child processes on a database of the run's own, prepares data
 * through the admin CLI and the API, drives each workload from forked load processes over loopback,
 * and prints one table (workload, figure, target, result). `--smoke` runs everything tiny without
 * judging targets; `--quick` seeds 100k history messages instead of 1M.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { ChartRow, latencyChart } from './lib/chart';
import {
  isFlat,
  MAX_LAST_WINDOW_GROWTH,
  MAX_SLOPE_MB_PER_MINUTE,
  MemoryPoint,
  memoryTrends,
  parseGcTrace,
  Trend,
} from './lib/memory';
import type {
  AckedMessage,
  ConnectResult,
  HttpResult,
  PostResult,
  ResumableReport,
  SoakMembersResult,
  SoakReport,
  SoakRestResult,
  SoakRoomState,
  TrackResult,
} from './lib/messages';
import {
  AppProcess,
  BenchDatabase,
  createDatabase,
  Env,
  forkWorker,
  machineCpuSeconds,
  RAISE_FD_LIMIT,
  runCli,
  startApp,
  Worker,
} from './lib/processes';
import { KindFigures, MessageState, mergeFigures, messageSignature } from './lib/soak';
import { Percentiles, percentiles, round, worstOf } from './lib/stats';

const ROOT = resolve(__dirname, '..', '..');
const args = new Set(process.argv.slice(2));
const SMOKE = args.has('--smoke');
const QUICK = args.has('--quick');
/** `--only=W3,W6` runs just those workloads (with the data they need). */
const ONLY = new Set(
  [...args]
    .filter((arg) => arg.startsWith('--only='))
    .flatMap((arg) => arg.slice('--only='.length).split(','))
    .map((name) => name.trim().toUpperCase()),
);
const selected = (workload: string): boolean => ONLY.size === 0 || ONLY.has(workload);

const SCALE = SMOKE
  ? {
      users: 60,
      members: 20,
      history: 3_000,
      w1Seconds: 1,
      w1Connections: 5,
      w2Rooms: 3,
      w2Messages: 5,
      w2Seconds: 1,
      rate: 5,
      fanoutSeconds: 1,
      idle: 60,
      w5Requests: 20,
      w10Requests: 14,
      coldRuns: 1,
      w12Rooms: 8,
      w12Members: 5,
      w12Rate: 8,
      soak: {
        rooms: 3,
        members: 5,
        seconds: 20,
        postsPerSecond: 4,
        sendsPerSecond: 2,
        readsPerSecond: 2,
        seenPerSecond: 1,
        searchesPerSecond: 0.2,
        uploaders: 2,
        uploadsPerMinute: 6,
        dropEverySeconds: 6,
        sampleMs: 1000,
        warmupMs: 5000,
        windowMs: 5000,
      },
    }
  : {
      users: 10_000,
      members: 1_000,
      history: QUICK ? 100_000 : 1_000_000,
      w1Seconds: 15,
      w1Connections: 50,
      w2Rooms: 20,
      w2Messages: 50,
      w2Seconds: 10,
      rate: 20,
      fanoutSeconds: 15,
      idle: 10_000,
      w5Requests: 1_000,
      w10Requests: 700,
      coldRuns: 3,
      w12Rooms: 40,
      w12Members: 100,
      w12Rate: 40,
      soak: {
        rooms: 10,
        members: 20,
        seconds: 600,
        postsPerSecond: 12,
        sendsPerSecond: 8,
        readsPerSecond: 3,
        seenPerSecond: 2,
        searchesPerSecond: 0.1,
        uploaders: 4,
        uploadsPerMinute: 3,
        dropEverySeconds: 60,
        sampleMs: 5000,
        warmupMs: 60_000,
        windowMs: 60_000,
      },
    };

interface Row {
  workload: string;
  figure: string;
  target: string;
  pass: boolean;
  reason?: string;
  latency?: Percentiles;
  targetMs?: number;
  raw?: unknown;
  /** Lines printed below the table. */
  details?: string[];
}

const rows: Row[] = [];
const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const ms = (value: number) => `${round(value, 1)} ms`;

interface User {
  id: string;
  username: string;
}

class Api {
  constructor(private readonly base: string) {}

  async call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        await work(items[next++]);
      }
    }),
  );
}

/** Waits until the receivers have had no frame for `quietMs` (a connection storm's presence frames). */
async function settle(workers: Worker[], quietMs = 1500, maxMs = 120_000): Promise<void> {
  const started = Date.now();
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() - started < maxMs) {
    const counts = await Promise.all(workers.map((worker) => worker.run<{ frames: number }>({ type: 'frames' })));
    const total = counts.reduce((sum, count) => sum + count.frames, 0);
    if (total !== last) {
      last = total;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) {
      return;
    }
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), 'dfchat-bench-'));
  const resultsDir = join(ROOT, 'bench', 'results', SMOKE ? 'smoke' : '');
  mkdirSync(resultsDir, { recursive: true });
  const jwtSecret = randomBytes(32).toString('hex');
  const postgres = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  const database = postgres ? await createDatabase(postgres) : undefined;
  const baseEnv: Env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    JWT_SECRET: jwtSecret,
    DATA_DIR: join(runDir, 'data'),
    DATABASE_URL: database?.url,
    // The run's own Redis namespace, whatever else shares the Redis.
    REDIS_PREFIX: `dfchat-bench:${basename(runDir)}`,
    // Generous limits: the load comes from one address and must not be mistaken for abuse.
    AUTH_MAX_FAILURES: '1000',
    RATE_MESSAGES_PER_SECOND: '1000000',
    RATE_MESSAGES_BURST: '1000000',
    RATE_UPLOADS: '1000000',
    RATE_REGISTRATIONS: '1000000',
    WS_MAX_CONNECTIONS_PER_USER: '100000',
  };
  log(
    `mode ${SMOKE ? 'smoke' : QUICK ? 'quick' : 'full'}; database ${postgres ? 'PostgreSQL' : 'embedded'}; run dir ${runDir}`,
  );
  const started = Date.now();
  try {
    await prepareAndRun(baseEnv, runDir, jwtSecret, redis, postgres, database);
  } finally {
    await database?.drop().catch((error: unknown) => log(`could not drop the database: ${String(error)}`));
    rmSync(runDir, { recursive: true, force: true });
  }
  printTable(postgres ? 'PostgreSQL' : 'embedded', (Date.now() - started) / 1000);
  writeResults(resultsDir, postgres ? 'PostgreSQL' : 'embedded');
}

async function prepareAndRun(
  baseEnv: Env,
  runDir: string,
  jwtSecret: string,
  redis: string | undefined,
  postgres: string | undefined,
  database: BenchDatabase | undefined,
): Promise<void> {
  // W2 first: its user must see only their own 20 rooms (the bulk rooms below are mostly public, with
  // 1,000 member ids each in every room view). On PostgreSQL in a database of its own, so that the
  // statistics gathered for its data do not stand for the bulk data loaded later.
  if (selected('W2')) {
    const own = postgres ? await createDatabase(postgres) : undefined;
    const empty = await startApp(own ? { ...baseEnv, DATABASE_URL: own.url } : baseEnv, join(runDir, 'app-w2.log'));
    try {
      await benchRoomList(new Api(empty.url), empty, own);
    } finally {
      await empty.stop();
      await own?.drop();
    }
  }
  // Then data through the CLI: the embedded database admits one process at a time.
  let timer = Date.now();
  const crowdOut = await runCli(baseEnv, [
    'seed',
    '--users',
    String(SCALE.users),
    '--rooms',
    String(Math.floor(SCALE.users / SCALE.members)),
    '--members',
    String(SCALE.members),
  ]);
  const crowdTag = /bulk_([0-9a-f]+)_1 /.exec(crowdOut)![1];
  log(`seeded ${SCALE.users} users in rooms of ${SCALE.members} in ${(Date.now() - timer) / 1000} s`);
  timer = Date.now();
  const historyOut = await runCli(baseEnv, [
    'seed',
    '--users',
    '2',
    '--rooms',
    '1',
    '--members',
    '2',
    '--messages',
    String(selected('W5') || selected('W10') ? SCALE.history : 1),
  ]);
  const historyTag = /bulk_([0-9a-f]+)_1 /.exec(historyOut)![1];
  const historySeedSeconds = (Date.now() - timer) / 1000;
  log(`seeded the history room in ${historySeedSeconds} s`);
  if (selected('W5') || selected('W10')) {
    // A live database of this size has planner statistics (autovacuum gathers them within a minute of such
    // changes). Without them the planner sizes the table from its pages, and how wide it takes a row to be
    // decides whether a cursor page walks the history index or sorts a whole room (20 ms instead of 3).
    // Not for a history of one message: statistics of a tiny table slow posting (BENCHMARKS.md).
    await database?.analyze();
  }
  const users = JSON.parse(await runCli(baseEnv, ['user:list', '--json'])) as User[];
  const rooms = JSON.parse(await runCli(baseEnv, ['room:list', '--json'])) as { id: string; title: string }[];
  const byName = new Map(users.map((user) => [user.username, user]));
  const roomId = (tag: string, index: number) => rooms.find((room) => room.title === `Bulk ${tag} room ${index}`)!.id;
  // Bulk users share one token version; read it from a token the CLI issues, then sign the others alike.
  const sample = (await runCli(baseEnv, ['user:token', `bulk_${crowdTag}_1`])).trim();
  const { tv } = jwt.verify(sample, jwtSecret) as { tv: number };
  const tokenOf = (user: User) => jwt.sign({ sub: user.id, tv }, jwtSecret, { algorithm: 'HS256', expiresIn: 3600 });
  const crowd = (room: number) =>
    Array.from({ length: SCALE.members }, (_, k) => byName.get(`bulk_${crowdTag}_${room * SCALE.members + k + 1}`)!);

  const app = await startApp(baseEnv, join(runDir, 'app-a.log'));
  log(`app started in ${round(app.startMs, 0)} ms`);
  try {
    const api = new Api(app.url);
    if (selected('W5')) {
      await benchHistory(api, app, roomId(historyTag, 1), tokenOf(byName.get(`bulk_${historyTag}_1`)!));
    }
    if (selected('W10')) {
      await benchSearch(api, app, roomId(historyTag, 1), tokenOf(byName.get(`bulk_${historyTag}_1`)!));
    }
    if (selected('W1')) {
      await benchPosting(api, app, roomId(crowdTag, 2), crowd(1).map(tokenOf));
    }
    if (selected('W3')) {
      await benchFanout('W3', 'fan-out, one instance', [app], app, roomId(crowdTag, 1), crowd(0).map(tokenOf), 50);
    }
    if (selected('W8')) {
      await benchResume(app, roomId(crowdTag, 1), crowd(0).map(tokenOf));
    }
  } finally {
    await app.stop();
  }

  if (selected('W4')) {
    await benchIdle(
      baseEnv,
      runDir,
      users.filter((user) => user.username.startsWith(`bulk_${crowdTag}_`)).map(tokenOf),
    );
  }

  if (selected('W6') && baseEnv.DATABASE_URL && redis) {
    const env = { ...baseEnv, REDIS_URL: redis };
    const [a, b] = await Promise.all([
      startApp(env, join(runDir, 'app-b1.log')),
      startApp(env, join(runDir, 'app-b2.log')),
    ]);
    try {
      await benchFanout(
        'W6',
        'fan-out, two instances over Redis',
        [a, b],
        a,
        roomId(crowdTag, 3),
        crowd(2).map(tokenOf),
        75,
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  } else if (selected('W6')) {
    rows.push({
      workload: 'W6 two instances over Redis',
      figure: 'not run',
      target: '100% delivered, p99 ≤ 75 ms',
      pass: false,
      reason: 'needs DATABASE_URL (instances share PostgreSQL) and REDIS_URL',
    });
  }

  if (selected('W12') && baseEnv.DATABASE_URL && redis) {
    const w12Rooms = await seedRooms(baseEnv, SCALE.w12Rooms, SCALE.w12Members, tokenOf);
    await benchRouting({ ...baseEnv, REDIS_URL: redis, LOG_LEVEL: 'debug' }, runDir, w12Rooms);
  } else if (selected('W12')) {
    rows.push({
      workload: 'W12 four instances, events routed per room',
      figure: 'not run',
      target: '100% delivered, p99 ≤ 75 ms, each instance hears only its rooms',
      pass: false,
      reason: 'needs DATABASE_URL (instances share PostgreSQL) and REDIS_URL',
    });
  }

  if (selected('W11')) {
    await benchSoak(
      redis ? { ...baseEnv, REDIS_URL: redis } : baseEnv,
      runDir,
      await seedRooms(baseEnv, SCALE.soak.rooms, SCALE.soak.members, tokenOf),
      `${postgres ? 'PostgreSQL' : 'embedded'}${redis ? ' + Redis' : ''}`,
    );
  }

  if (selected('W7')) {
    await benchColdStart(baseEnv, runDir);
  }
}

/** Seeds `count` rooms of `members` new users each (through the CLI): each room's id and its members' tokens. */
async function seedRooms(
  env: Env,
  count: number,
  members: number,
  tokenOf: (user: User) => string,
): Promise<{ id: string; tokens: string[] }[]> {
  const out = await runCli(env, [
    'seed',
    '--users',
    String(count * members),
    '--rooms',
    String(count),
    '--members',
    String(members),
  ]);
  const tag = /bulk_([0-9a-f]+)_1 /.exec(out)![1];
  const users = JSON.parse(await runCli(env, ['user:list', '--json'])) as User[];
  const named = new Map(users.map((user) => [user.username, user]));
  const listed = JSON.parse(await runCli(env, ['room:list', '--json'])) as { id: string; title: string }[];
  return Array.from({ length: count }, (_, r) => ({
    id: listed.find((room) => room.title === `Bulk ${tag} room ${r + 1}`)!.id,
    tokens: Array.from({ length: members }, (_, k) => tokenOf(named.get(`bulk_${tag}_${r * members + k + 1}`)!)),
  }));
}

/**
 * W12: four instances; each room's members all connect to one instance, so that each instance serves a
 * quarter of the rooms. Posts go to random rooms through random instances. Every member must get every
 * message of their room, and each instance must receive from Redis only the events of its own rooms
 * (counted from its debug log: `received change on room:<id>`).
 */
async function benchRouting(env: Env, runDir: string, rooms: { id: string; tokens: string[] }[]): Promise<void> {
  const INSTANCES = 4;
  const instances = await Promise.all(
    Array.from({ length: INSTANCES }, (_, i) => startApp(env, join(runDir, `app-w12-${i}.log`))),
  );
  const instanceOf = (room: number) => Math.floor((room * INSTANCES) / rooms.length);
  const receivers = [forkWorker(), forkWorker()];
  const sender = forkWorker();
  try {
    const urls = rooms.flatMap((room, r) =>
      room.tokens.map((token) => `${instances[instanceOf(r)].wsUrl}/api/v1/chat/ws/?token=${token}`),
    );
    const opened = await Promise.all(
      receivers.map((worker, index) =>
        worker.run<ConnectResult>({
          type: 'connect',
          urls: urls.filter((_, n) => n % receivers.length === index),
          batch: 100,
          track: true,
        }),
      ),
    );
    const connected = opened.reduce((sum, result) => sum + result.opened, 0);
    await settle(receivers);
    const logOf = (i: number) => readFileSync(join(runDir, `app-w12-${i}.log`), 'utf8');
    const heardBefore = instances.map((_, i) => (logOf(i).match(/received change on room:/g) ?? []).length);
    const posted = await sender.run<PostResult>({
      type: 'post',
      url: instances[0].url,
      path: '',
      tokens: [],
      perSecond: SCALE.w12Rate,
      durationSeconds: SCALE.fanoutSeconds,
      targets: rooms.map((room) => ({ path: `/api/v1/chat/rooms/${room.id}/messages/`, tokens: room.tokens })),
    });
    await settle(receivers, 1000, 30_000);
    const reports = await Promise.all(receivers.map((worker) => worker.run<TrackResult>({ type: 'report' })));
    const delivered = posted.ids.reduce(
      (sum, id) => sum + reports.reduce((inner, report) => inner + (report.perMessage[id] ?? 0), 0),
      0,
    );
    const expected = posted.ids.length * rooms[0].tokens.length;
    const latency = worstOf(reports.map((report) => report.latency));
    const heard = instances.map((_, i) => (logOf(i).match(/received change on room:/g) ?? []).length - heardBefore[i]);
    const share = posted.ids.length === 0 ? 0 : Math.max(...heard) / posted.ids.length;
    rows.push({
      workload:
        `W12 ${INSTANCES} instances, events routed per room: ${urls.length} members in ${rooms.length} rooms ` +
        `(each instance serves ${rooms.length / INSTANCES}), ${SCALE.w12Rate} posts/s, ${SCALE.fanoutSeconds} s`,
      figure:
        `${round((100 * delivered) / Math.max(expected, 1), 2)}% delivered (${delivered}/${expected}), p99 ${ms(latency.p99)} ` +
        `(p50 ${ms(latency.p50)}); changes heard per instance ${heard.join('/')} of ${posted.ids.length} posted`,
      target: `100% delivered, p99 ≤ 75 ms, each instance hears ≤ ${Math.round(100 / INSTANCES) + 10}% of the posts`,
      pass:
        connected === urls.length &&
        delivered === expected &&
        posted.errors === 0 &&
        latency.p99 <= 75 &&
        share <= 1 / INSTANCES + 0.1,
      latency,
      targetMs: 75,
      raw: { opened, heard, posted: { ...posted, ids: posted.ids.length }, delivered, expected },
    });
  } finally {
    await Promise.all(
      receivers.map(async (worker) => {
        await worker.run({ type: 'close' }).catch(() => undefined);
        await worker.stop();
      }),
    );
    await sender.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}

/**
 * Searches W10 makes, of words the bulk seed writes. The seed draws each word of a message from 48, so
 * one word is in about one message in six and three are together in about one in 170, as a search for
 * a name or a term is in a real history. Fewer words find tens of thousands of messages in a 1M history
 * here, which no real vocabulary does (their cost is in BENCHMARKS.md).
 */
const W10_QUERIES = [
  'coffee release weekend',
  'deploy bug fix',
  'lunch meeting today',
  'design draft notes',
  'review build tomorrow',
  'thanks team great',
  'question answer soon',
];

/** W10: a member of the history room searches it, half the time naming the room, one request at a time. */
async function benchSearch(api: Api, app: AppProcess, roomId: string, token: string): Promise<void> {
  const room = await api.call<{ message_total_count: number }>('GET', `/api/v1/chat/rooms/${roomId}/`, token);
  const total = room.message_total_count;
  const paths = W10_QUERIES.flatMap((q) => {
    const query = new URLSearchParams({ q, limit: '20' }).toString();
    return [`/api/v1/chat/search/?${query}`, `/api/v1/chat/search/?${query}&room_id=${roomId}`];
  });
  const counts = await Promise.all(
    W10_QUERIES.map(async (q) => {
      const found = await api.call<{ count: number }>('GET', `/api/v1/chat/search/?q=${encodeURIComponent(q)}`, token);
      return found.count;
    }),
  );
  const worker = forkWorker();
  try {
    await worker.run({ type: 'sequential', url: app.url, token, paths, count: Math.min(20, SCALE.w10Requests) });
    const result = await worker.run<HttpResult>({
      type: 'sequential',
      url: app.url,
      token,
      paths,
      count: SCALE.w10Requests,
    });
    const server = result.serverLatency;
    const hits = `${Math.min(...counts).toLocaleString('en')}–${Math.max(...counts).toLocaleString('en')} hits`;
    rows.push({
      workload: `W10 search in a history of ${total.toLocaleString('en')} messages (${hits})`,
      figure: server
        ? `p95 ${ms(server.p95)} server time (p50 ${ms(server.p50)}, p99 ${ms(server.p99)}; round trip p95 ${ms(result.latency.p95)}), ${result.non2xx} errors`
        : `p95 ${ms(result.latency.p95)} round trip (p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}), ${result.non2xx} errors`,
      target: '≤ 50 ms p95',
      pass: (server ?? result.latency).p95 <= 50 && result.non2xx === 0 && total >= SCALE.history,
      latency: server ?? result.latency,
      targetMs: 50,
      raw: { ...result, queries: W10_QUERIES, counts },
    });
  } finally {
    await worker.stop();
  }
}

/** W5: pages of 50 by cursor at depths spread over a room's whole history, one request at a time. */
async function benchHistory(api: Api, app: AppProcess, roomId: string, token: string): Promise<void> {
  const room = await api.call<{ message_total_count: number }>('GET', `/api/v1/chat/rooms/${roomId}/`, token);
  const total = room.message_total_count;
  const depths = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map((share) => Math.floor(share * (total - 51)));
  const cursors: string[] = [];
  for (const depth of depths) {
    const page = await api.call<{ results: { id: string }[] }>(
      'GET',
      `/api/v1/chat/rooms/${roomId}/messages/?limit=1&offset=${depth}`,
      token,
    );
    cursors.push(page.results[0].id);
  }
  const paths = cursors.map((id) => `/api/v1/chat/rooms/${roomId}/messages/?before=${id}&limit=50`);
  const worker = forkWorker();
  try {
    // A short warm-up, then the measured run.
    await worker.run({ type: 'sequential', url: app.url, token, paths, count: Math.min(50, SCALE.w5Requests) });
    const result = await worker.run<HttpResult>({
      type: 'sequential',
      url: app.url,
      token,
      paths,
      count: SCALE.w5Requests,
    });
    // Server time is what the target is about; the round trip adds the client's side on the same cores.
    const server = result.serverLatency;
    rows.push({
      workload: `W5 history page by cursor (${total.toLocaleString('en')} messages)`,
      figure: server
        ? `p95 ${ms(server.p95)} server time (p50 ${ms(server.p50)}, p99 ${ms(server.p99)}; round trip p95 ${ms(result.latency.p95)}), ${result.non2xx} errors`
        : `p95 ${ms(result.latency.p95)} round trip (p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}), ${result.non2xx} errors`,
      target: '≤ 10 ms p95',
      pass: (server ?? result.latency).p95 <= 10 && result.non2xx === 0 && total >= SCALE.history,
      latency: server ?? result.latency,
      targetMs: 10,
      raw: { ...result, depths },
    });
  } finally {
    await worker.stop();
  }
}

/** W2: the room list of a user in 20 rooms of 50 messages each (made through the API). */
async function benchRoomList(api: Api, app: AppProcess, database: BenchDatabase | undefined): Promise<void> {
  const username = `bench_${randomBytes(3).toString('hex')}`;
  await api.call('POST', '/api/v1/auth/users/', null, { username, password: 'bench-password-1' });
  const { token } = await api.call<{ token: string }>('POST', '/api/v1/auth/token/', null, {
    username,
    password: 'bench-password-1',
  });
  const roomIds: string[] = [];
  for (let index = 0; index < SCALE.w2Rooms; index++) {
    roomIds.push(
      (await api.call<{ id: string }>('POST', '/api/v1/chat/rooms/', token, { title: `Bench room ${index}` })).id,
    );
  }
  const posts = roomIds.flatMap((id) => Array.from({ length: SCALE.w2Messages }, (_, n) => ({ id, n })));
  await pool(posts, 8, ({ id, n }) =>
    api.call('POST', `/api/v1/chat/rooms/${id}/messages/`, token, { body: `message ${n}` }),
  );
  const list = await api.call<{ count: number }>('GET', '/api/v1/chat/rooms/', token);
  // A live database has planner statistics for its data (autovacuum gathers them within a minute of such
  // changes); these rows are seconds old. Only now, with all of them made (the embedded database is left
  // as it is).
  await database?.analyze();
  const worker = forkWorker();
  try {
    const request = { method: 'GET' as const, path: '/api/v1/chat/rooms/', token };
    await worker.run<HttpResult>({
      type: 'http',
      url: app.url,
      connections: 10,
      durationSeconds: 1,
      requests: [request],
    });
    const result = await worker.run<HttpResult>({
      type: 'http',
      url: app.url,
      connections: 20,
      durationSeconds: SCALE.w2Seconds,
      requests: [request],
    });
    rows.push({
      workload: `W2 GET rooms/ (member of ${SCALE.w2Rooms}, sees ${list.count}), 20 conc.`,
      figure: `${round(result.perSecond, 0)} req/s, p99 ${ms(result.latency.p99)}, ${result.errors + result.non2xx} errors`,
      target: '≥ 1,000 req/s, p99 ≤ 50 ms',
      pass: result.perSecond >= 1000 && result.latency.p99 <= 50 && result.errors + result.non2xx === 0,
      latency: result.latency,
      targetMs: 50,
      raw: result,
    });
  } finally {
    await worker.stop();
  }
}

/** W1: posting as random members of one room, 50 concurrent. Stored messages counted by the room's counter. */
async function benchPosting(api: Api, app: AppProcess, roomId: string, tokens: string[]): Promise<void> {
  const count = async () =>
    (await api.call<{ message_total_count: number }>('GET', `/api/v1/chat/rooms/${roomId}/`, tokens[0]))
      .message_total_count;
  const path = `/api/v1/chat/rooms/${roomId}/messages/`;
  const requests = tokens.map((token) => ({
    method: 'POST' as const,
    path,
    token,
    body: { body: 'Load test message' },
  }));
  const worker = forkWorker();
  try {
    const before = await count();
    const result = await worker.run<HttpResult>({
      type: 'http',
      url: app.url,
      connections: SCALE.w1Connections,
      durationSeconds: SCALE.w1Seconds,
      requests,
    });
    const stored = (await count()) - before;
    const perSecond = stored / SCALE.w1Seconds;
    const errors = result.errors + result.non2xx;
    rows.push({
      workload: `W1 POST messages, ${SCALE.w1Connections} conc., ${SCALE.w1Seconds} s`,
      figure: `${round(perSecond, 0)} stored/s, p99 ${ms(result.latency.p99)}, ${errors} errors`,
      target: '≥ 1,500/s, p99 ≤ 50 ms, 0 errors',
      pass: perSecond >= 1500 && result.latency.p99 <= 50 && errors === 0,
      latency: result.latency,
      targetMs: 50,
      raw: { ...result, stored },
    });
  } finally {
    await worker.stop();
  }
}

/**
 * W3/W6: the room's members connected (split over the instances), posts at a steady rate through
 * `poster`; every frame's post-to-receipt time and every (connection, message) delivery counted.
 */
async function benchFanout(
  key: string,
  name: string,
  instances: AppProcess[],
  poster: AppProcess,
  roomId: string,
  tokens: string[],
  targetMs: number,
): Promise<void> {
  // Two receiving processes (per instance, or two for one instance), so that parsing 20,000 frames/s
  // is not the load generator's own bottleneck.
  const targets = instances.length === 1 ? [instances[0], instances[0]] : instances;
  const receivers = targets.map(() => forkWorker());
  const sender = forkWorker();
  try {
    const opened = await Promise.all(
      receivers.map((worker, index) =>
        worker.run<ConnectResult>({
          type: 'connect',
          urls: tokens
            .filter((_, n) => n % targets.length === index)
            .map((token) => `${targets[index].wsUrl}/api/v1/chat/ws/?token=${token}`),
          batch: 100,
          track: true,
        }),
      ),
    );
    const connected = opened.reduce((sum, result) => sum + result.opened, 0);
    await settle(receivers);
    // W9: what the connection storm cost each member, in frames (presence only: nothing is posted yet).
    const stormFrames = (
      await Promise.all(receivers.map((worker) => worker.run<{ frames: number }>({ type: 'frames' })))
    ).reduce((sum, count) => sum + count.frames, 0);
    const posted = await sender.run<PostResult>({
      type: 'post',
      url: poster.url,
      path: `/api/v1/chat/rooms/${roomId}/messages/`,
      tokens,
      perSecond: SCALE.rate,
      durationSeconds: SCALE.fanoutSeconds,
    });
    await settle(receivers, 1000, 30_000);
    const reports = await Promise.all(receivers.map((worker) => worker.run<TrackResult>({ type: 'report' })));
    const latencies = reports.map((report) => report.latency);
    const delivered = posted.ids.reduce(
      (sum, id) => sum + reports.reduce((inner, report) => inner + (report.perMessage[id] ?? 0), 0),
      0,
    );
    const expected = posted.ids.length * tokens.length;
    const share = expected === 0 ? 0 : (100 * delivered) / expected;
    const latency = worstOf(latencies);
    const closedEarly = reports.reduce((sum, report) => sum + report.closedEarly, 0);
    if (key === 'W3') {
      const perMember = connected === 0 ? 0 : stormFrames / connected;
      rows.push({
        workload: `W9 connection storm: ${tokens.length} members of one room connect in batches of 100`,
        figure: `${round(perMember, 1)} presence frames per member (${stormFrames} in all, ${connected} connected)`,
        target: '≤ 10 presence frames per member',
        pass: connected === tokens.length && perMember <= 10,
        raw: { stormFrames, connected },
      });
    }
    rows.push({
      workload: `${key} ${name}: ${tokens.length} members, ${SCALE.rate} posts/s, ${SCALE.fanoutSeconds} s`,
      figure:
        `${round(share, 2)}% delivered (${delivered}/${expected}, ${connected} connected), ` +
        `p99 ${ms(latency.p99)} (p50 ${ms(latency.p50)}), ${posted.errors} post errors`,
      target: `100% delivered, p99 ≤ ${targetMs} ms`,
      pass:
        connected === tokens.length &&
        delivered === expected &&
        posted.errors === 0 &&
        closedEarly === 0 &&
        latency.p99 <= targetMs,
      latency,
      targetMs,
      raw: {
        opened,
        posted: { ...posted, ids: posted.ids.length },
        delivered,
        expected,
        closedEarly,
        postLatency: posted.latency,
      },
    });
  } finally {
    await Promise.all(
      receivers.map(async (worker) => {
        await worker.run({ type: 'close' }).catch(() => undefined);
        await worker.stop();
      }),
    );
    await sender.stop();
  }
}

/**
 * W8: every member of a room drops at once while messages are posted, reconnects at once and resumes
 * from the seq it last applied: each must end with every message exactly once, its resume answered soon.
 */
async function benchResume(app: AppProcess, roomId: string, tokens: string[]): Promise<void> {
  const clients = [forkWorker(), forkWorker()];
  const sender = forkWorker();
  const total = SMOKE ? 10 : 200;
  const perSecond = SMOKE ? 10 : 40;
  try {
    const opened = await Promise.all(
      clients.map((worker, index) =>
        worker.run<ConnectResult>({
          type: 'resumableOpen',
          urls: tokens
            .filter((_, n) => n % clients.length === index)
            .map((token) => `${app.wsUrl}/api/v1/chat/ws/?token=${token}`),
          batch: 100,
        }),
      ),
    );
    const connected = opened.reduce((sum, result) => sum + result.opened, 0);
    const path = `/api/v1/chat/rooms/${roomId}/messages/`;
    // One message first, so that every client knows the room's seq before it drops.
    await sender.run<PostResult>({ type: 'post', url: app.url, path, tokens, perSecond: 1, durationSeconds: 1 });
    await sleep(2000);
    const posting = sender.run<PostResult>({
      type: 'post',
      url: app.url,
      path,
      tokens,
      perSecond,
      durationSeconds: total / perSecond,
    });
    await sleep(1500);
    await Promise.all(clients.map((worker) => worker.run({ type: 'resumableDrop' })));
    await sleep(1000);
    const reconnected = await Promise.all(
      clients.map((worker) => worker.run<{ acked: number }>({ type: 'resumableReconnect', timeoutMs: 30_000 })),
    );
    const posted = await posting;
    await sleep(3000);
    const reports = await Promise.all(
      clients.map((worker) => worker.run<ResumableReport>({ type: 'resumableReport', ids: posted.ids })),
    );
    const sum = (pick: (report: ResumableReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
    const complete = sum((r) => r.complete);
    const latency = worstOf(reports.map((r) => r.ackLatency));
    rows.push({
      workload: `W8 resume: ${tokens.length} members drop at once while ${total} messages are posted, reconnect and resume`,
      figure:
        `${complete}/${tokens.length} clients with all ${posted.ids.length} exactly once ` +
        `(${sum((r) => r.missing)} missing, ${sum((r) => r.duplicates)} applied twice, ${sum((r) => r.resynced)} resync; ` +
        `${sum((r) => r.dropped)} frames past a gap dropped, ${sum((r) => r.ignored)} re-sent ignored), ` +
        `reconnect→ack p99 ${ms(latency.p99)} (p50 ${ms(latency.p50)}; open p99 ` +
        `${ms(Math.max(...reports.map((r) => r.openLatency.p99)))})`,
      target: 'every client all messages exactly once, p99 reconnect→ack ≤ 2 s',
      pass:
        connected === tokens.length &&
        complete === tokens.length &&
        posted.errors === 0 &&
        posted.ids.length === total &&
        latency.p99 <= 2000,
      latency,
      targetMs: 2000,
      raw: { opened, reconnected, reports: reports.map((r) => ({ ...r })), postErrors: posted.errors },
    });
  } finally {
    await Promise.all([...clients, sender].map((worker) => worker.stop()));
  }
}

/**
 * W11: a soak. Every member of the rooms is connected for the whole run (a few of them dropping and
 * resuming now and then, a few sending over their socket) while one process drives the REST mix; the
 * app's RSS is sampled throughout. Then each member's socket is held against the server's final state.
 */
async function benchSoak(
  env: Env,
  runDir: string,
  rooms: { id: string; tokens: string[] }[],
  database: string,
): Promise<void> {
  const soak = SCALE.soak;
  // V8 reports each collection (one line each) into the log: the heap in use and committed after it.
  const logFile = join(runDir, 'app-soak.log');
  const app = await startApp(env, logFile, { nodeFlags: ['--trace-gc'] });
  const api = new Api(app.url);
  const members = [forkWorker(), forkWorker()];
  const rest = forkWorker();
  const samples: MemoryPoint[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    // Per room: a tenth of the members send over their socket, another tenth drop and resume.
    const active = Math.max(1, Math.round(soak.members / 10));
    const clients = rooms.flatMap((room) =>
      room.tokens.map((token, k) => ({
        roomId: room.id,
        token,
        sends: k < active,
        drops: k >= active && k < 2 * active,
      })),
    );
    const shares = members.map((_, w) => clients.filter((_, n) => n % members.length === w));
    const indexesOf = (share: typeof clients, test: (client: (typeof clients)[number]) => boolean) =>
      share.flatMap((client, index) => (test(client) ? [index] : []));
    const opened = await Promise.all(
      members.map((worker, w) =>
        worker.run<ConnectResult>({
          type: 'resumableOpen',
          urls: shares[w].map((client) => `${app.wsUrl}/api/v1/chat/ws/?token=${client.token}`),
          batch: 100,
        }),
      ),
    );
    const connected = opened.reduce((sum, result) => sum + result.opened, 0);
    await settle(members);
    const seqs = Object.fromEntries(
      await Promise.all(rooms.map(async (room) => [room.id, await seqOf(api, room)] as const)),
    );

    const started = Date.now();
    const cpuBefore = { app: app.cpuSeconds(), machine: machineCpuSeconds() };
    const sample = () => samples.push({ atMs: Date.now() - started, mb: app.rssKb() / 1024 });
    sample();
    sampler = setInterval(sample, soak.sampleMs);
    const restRun = rest.run<SoakRestResult>({
      type: 'soakRest',
      url: app.url,
      rooms,
      durationSeconds: soak.seconds,
      postsPerSecond: soak.postsPerSecond,
      readsPerSecond: soak.readsPerSecond,
      seenPerSecond: soak.seenPerSecond,
      searchesPerSecond: soak.searchesPerSecond,
      uploaders: soak.uploaders,
      uploadsPerMinute: soak.uploadsPerMinute,
      tag: 'w11r',
    });
    const memberRuns = Promise.all(
      members.map((worker, w) =>
        worker.run<SoakMembersResult>({
          type: 'soakMembers',
          durationSeconds: soak.seconds,
          rooms: shares[w].map((client) => client.roomId),
          seqs,
          senders: indexesOf(shares[w], (client) => client.sends),
          droppers: indexesOf(shares[w], (client) => client.drops),
          sendsPerSecond: soak.sendsPerSecond / members.length,
          dropEverySeconds: soak.dropEverySeconds,
          tag: `w11m${w}`,
        }),
      ),
    );
    const [restResult, memberResults] = await Promise.all([restRun, memberRuns]);
    clearInterval(sampler);
    sample();
    const machine = machineCpuSeconds();
    const cpu = {
      appShareOfOneCore: (app.cpuSeconds() - cpuBefore.app) / ((Date.now() - started) / 1000),
      machineBusyShare: (machine.busy - cpuBefore.machine.busy) / (machine.total - cpuBefore.machine.total),
      loadAverage: loadavg(),
    };
    await settle(members, 2000, 60_000);

    const { final, storedTwice } = await storedState(api, rooms);
    const acked = [...restResult.acked, ...memberResults.flatMap((result) => result.acked)];
    const ackedByRoom: Record<string, string[]> = {};
    for (const { id, roomId } of acked) {
      (ackedByRoom[roomId] ??= []).push(id);
    }
    const reports = await Promise.all(
      members.map((worker) => worker.run<SoakReport>({ type: 'soakReport', rooms: final, acked: ackedByRoom })),
    );

    const total = (pick: (report: SoakReport) => number) => reports.reduce((sum, report) => sum + pick(report), 0);
    const deleted = new Set(restResult.deleted);
    const notStored = acked.filter(({ id, roomId }) => !(id in final[roomId].messages) && !deleted.has(id)).length;
    const repeatMismatches =
      restResult.repeatMismatches + memberResults.reduce((sum, result) => sum + result.repeatMismatches, 0);
    const expected = total((r) => r.expected);
    const delivered = total((r) => r.delivered);
    const lost = expected - delivered + notStored;
    const duplicated = total((r) => r.repeats) + storedTwice + repeatMismatches;
    const requests = mergeFigures([restResult.requests]);
    const actions = mergeFigures(memberResults.map((result) => result.actions));
    const countOf = (figures: Record<string, KindFigures>, test: (outcome: string) => boolean) =>
      Object.values(figures).reduce(
        (sum, kind) =>
          sum + Object.entries(kind.outcomes).reduce((inner, [outcome, n]) => inner + (test(outcome) ? n : 0), 0),
        0,
      );
    const requestCount = countOf(requests, () => true);
    const serverErrors = countOf(requests, (outcome) => outcome.startsWith('5'));
    const unanswered = countOf(requests, (outcome) => outcome === 'error');
    const otherNon2xx = countOf(requests, (outcome) => /^[34]/.test(outcome));
    const actionFailures = countOf(actions, (outcome) => outcome !== 'ack');
    const drops = memberResults.reduce((sum, result) => sum + result.drops, 0);
    const resumeFailures = memberResults.reduce((sum, result) => sum + result.resumeFailures, 0);
    const resynced = memberResults.reduce((sum, result) => sum + result.resynced, 0);
    const resumeLatency = worstOf(memberResults.map((result) => result.ackLatency));
    const memory = memoryTrends(
      samples,
      parseGcTrace(readFileSync(logFile, 'utf8')),
      started - app.startedAt,
      soak.warmupMs,
      soak.windowMs,
    );
    const { rss, liveHeap, outsideHeap } = memory;
    const mb = (value: number) => `${round(value, 1)} MB`;
    const slope = (trend: Trend) => `${round(trend.slopeMbPerMinute, 2)} MB/min`;
    const trendLine = (name: string, trend: Trend) =>
      `${name}: first ${mb(trend.first)}, last ${mb(trend.last)}, max ${mb(trend.max)}; after the warm-up ` +
      `${round(trend.slopeMbPerMinute, 3)} MB/min (least squares), mean ${mb(trend.afterWarmup)} in the first ` +
      `${soak.windowMs / 1000} s and ${mb(trend.lastWindow)} in the last ` +
      `(${round(100 * (trend.lastWindow / trend.afterWarmup - 1), 1)} %); ${trend.points} points`;
    const count = (value: number) => value.toLocaleString('en');
    const perKind = (figures: Record<string, KindFigures>) =>
      Object.entries(figures).map(
        ([kind, { outcomes, latency }]) =>
          `  ${kind}: ${Object.entries(outcomes)
            .map(([outcome, n]) => `${outcome} × ${count(n)}`)
            .join(', ')}; p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}`,
      );
    const ackedVia = (via: AckedMessage['via']) => acked.filter((message) => message.via === via).length;
    rows.push({
      workload:
        `W11 soak: ${clients.length} members in ${rooms.length} rooms on one instance (${database}), ` +
        `~${soak.postsPerSecond + soak.sendsPerSecond} messages/s, ${soak.seconds} s`,
      figure:
        `${count(requestCount)} requests, ${serverErrors} 5xx, ${unanswered + otherNon2xx} other failed; ` +
        `${count(acked.length)} messages acked, ${count(delivered)}/${count(expected)} delivered, ${lost} lost, ` +
        `${duplicated} duplicated, ${total((r) => r.stale)} stale; ${drops} resumes; ` +
        `RSS ${mb(rss.first)} → ${mb(rss.last)} (max ${mb(rss.max)}), ${slope(rss)}; ` +
        `live heap ${mb(liveHeap.first)} → ${mb(liveHeap.last)}, ${slope(liveHeap)}; outside the heap ${slope(outsideHeap)}`,
      target:
        `0 5xx, none lost or duplicated, edits and deletes applied; after a ${soak.warmupMs / 1000} s warm-up, the ` +
        `live heap and the RSS outside it each: slope ≤ ${MAX_SLOPE_MB_PER_MINUTE} MB/min, last ${soak.windowMs / 1000} s ` +
        `≤ +${MAX_LAST_WINDOW_GROWTH * 100} % on the first ${soak.windowMs / 1000} s after it`,
      pass:
        connected === clients.length &&
        serverErrors === 0 &&
        unanswered === 0 &&
        actionFailures === 0 &&
        lost === 0 &&
        duplicated === 0 &&
        total((r) => r.stale) === 0 &&
        total((r) => r.unapplied) === 0 &&
        total((r) => r.closedEarly) === 0 &&
        resumeFailures === 0 &&
        resynced === 0 &&
        isFlat(liveHeap) &&
        isFlat(outsideHeap),
      latency: requests.post?.latency,
      raw: {
        connected,
        requests,
        actions,
        acked: { rest: ackedVia('rest'), socket: ackedVia('socket'), image: ackedVia('image'), deleted: deleted.size },
        notStored,
        storedTwice,
        repeats: {
          rest: restResult.repeats,
          socket: memberResults.reduce((sum, result) => sum + result.repeats, 0),
          mismatches: repeatMismatches,
        },
        reports,
        resumes: { drops, resumeFailures, resynced, latency: resumeLatency },
        memory,
        samples,
        cpu,
      },
      details: [
        `W11 REST requests by kind (HTTP status × count; round trip):`,
        ...perKind(requests),
        `W11 socket actions by kind (ack or error code × count; round trip):`,
        ...perKind(actions),
        `W11 messages: ${count(acked.length)} acked (${count(ackedVia('rest'))} REST, ${count(ackedVia('socket'))} ` +
          `socket, ${count(ackedVia('image'))} images), ${count(deleted.size)} deleted since; ${count(delivered)} of ${count(expected)} ` +
          `(member, message) pairs delivered, ${lost} lost (${notStored} acked but not stored); ${duplicated} duplicated ` +
          `(${total((r) => r.repeats)} changes received twice, ${storedTwice} stored twice, ${repeatMismatches} repeats ` +
          `not answered with the first); ${total((r) => r.unapplied)} changes never applied, ${total((r) => r.stale)} ` +
          `messages not ending as stored; ${total((r) => r.complete)}/${clients.length} members complete, ` +
          `${total((r) => r.closedEarly)} closed early`,
        `W11 resumes: ${drops} drops, ${resumeFailures} failed, ${resynced} resync; reconnect→ack p50 ` +
          `${ms(resumeLatency.p50)}, p99 ${ms(resumeLatency.p99)}`,
        trendLine(`W11 RSS (every ${soak.sampleMs / 1000} s)`, rss),
        trendLine('W11 V8 heap in use after each full collection', liveHeap),
        trendLine("W11 RSS outside V8's committed heap", outsideHeap),
        `W11 CPU over the soak: the app ${round(100 * cpu.appShareOfOneCore, 1)} % of one core; the machine ` +
          `${round(100 * cpu.machineBusyShare, 1)} % busy (all cores, load generators and anything else included); ` +
          `load average ${cpu.loadAverage.map((value) => round(value, 2)).join(', ')} at the end`,
      ],
    });
  } finally {
    clearInterval(sampler);
    await Promise.all([...members, rest].map((worker) => worker.stop()));
    await app.stop();
  }
}

/** Each room's latest seq, over REST. */
const seqOf = async (api: Api, room: { id: string; tokens: string[] }): Promise<number> =>
  (await api.call<{ seq: number }>('GET', `/api/v1/chat/rooms/${room.id}/changes/?since=0&limit=1`, room.tokens[0]))
    .seq;

/**
 * What the server holds once the soak is over: each room's latest seq and every message as stored now
 * (`messageSignature`), and how many messages beyond the first were stored for one user's client_id.
 */
async function storedState(
  api: Api,
  rooms: { id: string; tokens: string[] }[],
): Promise<{ final: Record<string, SoakRoomState>; storedTwice: number }> {
  const final: Record<string, SoakRoomState> = {};
  const storedWith = new Map<string, number>();
  for (const room of rooms) {
    const messages: Record<string, string> = {};
    for (let offset = 0; ; offset += 200) {
      const page = await api.call<{
        results: (MessageState & { id: string; user_id: string | null; client_id: string | null })[];
        next: string | null;
      }>('GET', `/api/v1/chat/rooms/${room.id}/messages/?limit=200&offset=${offset}`, room.tokens[0]);
      for (const message of page.results) {
        messages[message.id] = messageSignature(message);
        if (message.client_id !== null) {
          const key = `${message.user_id}/${message.client_id}`;
          storedWith.set(key, (storedWith.get(key) ?? 0) + 1);
        }
      }
      if (!page.next) {
        break;
      }
    }
    final[room.id] = { seq: await seqOf(api, room), messages };
  }
  return { final, storedTwice: [...storedWith.values()].reduce((sum, count) => sum + count - 1, 0) };
}

/** W4: idle authenticated websockets on a fresh instance; RSS from /proc before and after. */
async function benchIdle(baseEnv: Env, runDir: string, tokens: string[]): Promise<void> {
  const app = await startApp(baseEnv, join(runDir, 'app-idle.log'));
  const worker = forkWorker();
  try {
    // The same routes a client would have used, so that the baseline is warm.
    await fetch(`${app.url}/health`);
    await sleep(1000);
    const before = app.rssKb();
    const count = Math.min(SCALE.idle, tokens.length);
    const result = await worker.run<ConnectResult>({
      type: 'connect',
      urls: tokens.slice(0, count).map((token) => `${app.wsUrl}/api/v1/chat/ws/?token=${token}`),
      batch: 200,
      track: false,
    });
    await settle([worker], 2000, 180_000);
    await sleep(2000);
    const after = app.rssKb();
    const report = await worker.run<TrackResult>({ type: 'report' });
    const perConnection = (after - before) / Math.max(1, result.opened);
    rows.push({
      workload: `W4 ${count.toLocaleString('en')} idle websockets, one instance`,
      figure:
        `${result.opened} connected, ${result.failed} refused, ${report.closedEarly} dropped, in ${round(result.seconds, 1)} s; ` +
        `RSS ${round(before / 1024, 0)} → ${round(after / 1024, 0)} MB = ${round(perConnection, 1)} KB/conn.`,
      target: 'all connected, ≤ 30 KB/conn.',
      pass: result.opened === count && report.closedEarly === 0 && perConnection <= 30,
      raw: { ...result, before, after, perConnection },
    });
  } finally {
    await worker.run({ type: 'close' }).catch(() => undefined);
    await worker.stop();
    await app.stop();
  }
}

/** W7: from spawn to /health 200 on the embedded database: a fresh data directory, then a restart. */
async function benchColdStart(baseEnv: Env, runDir: string): Promise<void> {
  const fresh: number[] = [];
  const restart: number[] = [];
  for (let run = 0; run < SCALE.coldRuns; run++) {
    const dataDir = join(runDir, `cold-${run}`);
    const env = { ...baseEnv, DATABASE_URL: undefined, DATA_DIR: dataDir };
    for (const list of [fresh, restart]) {
      const app = await startApp(env, join(runDir, `cold-${run}.log`));
      list.push(app.startMs);
      await app.stop();
    }
  }
  const worst = Math.max(...fresh, ...restart);
  rows.push({
    workload: 'W7 cold start, embedded database',
    figure: `fresh data dir ${fresh.map((value) => ms(value)).join(', ')}; restart ${restart.map((value) => ms(value)).join(', ')}`,
    target: '≤ 3 s to /health 200',
    pass: worst <= 3000,
    latency: percentiles([...fresh, ...restart]),
    targetMs: 3000,
    raw: { fresh, restart },
  });
}

function printTable(database: string, seconds: number): void {
  const header = ['workload', 'figure', 'target', 'result'];
  const body = rows.map((row) => [
    row.workload,
    row.figure,
    row.target,
    SMOKE ? 'smoke (not judged)' : row.pass ? 'PASS' : `FAIL${row.reason ? ` (${row.reason})` : ''}`,
  ]);
  const widths = header.map((_, column) => Math.max(header[column].length, ...body.map((line) => line[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const output = [
    '',
    `df-chat benchmarks (${SMOKE ? 'smoke' : QUICK ? 'quick' : 'full'}, ${database}, ${round(seconds, 0)} s)`,
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...body.map(line),
    ...rows.flatMap((row) => row.details ?? []),
    '',
  ];
  process.stdout.write(output.join('\n'));
}

function writeResults(dir: string, database: string): void {
  const stamp = new Date().toISOString();
  writeFileSync(
    join(dir, 'results.json'),
    JSON.stringify({ stamp, mode: SMOKE ? 'smoke' : QUICK ? 'quick' : 'full', database, rows }, null, 2),
  );
  const chartRows: ChartRow[] = rows
    .filter((row) => row.latency)
    .map((row) => ({ label: row.workload.split(/[,:(]/)[0], latency: row.latency!, targetMs: row.targetMs }));
  const svg = latencyChart(`df-chat latency per workload (${database}, ${stamp.slice(0, 10)})`, chartRows);
  writeFileSync(join(dir, 'latency.svg'), svg);
  // The documented chart is of a whole run only: a smoke run or a few workloads would replace it with less.
  if (!SMOKE && ONLY.size === 0) {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    copyFileSync(join(dir, 'latency.svg'), join(ROOT, 'docs', 'bench-latency.svg'));
  }
}

/** Many sockets need many descriptors: run again under a raised limit, which the forks and the app inherit. */
if (!process.env.DFCHAT_BENCH_FD_RAISED) {
  const result = spawnSync(
    'bash',
    ['-c', `${RAISE_FD_LIMIT}; exec "$0" "$@"`, process.execPath, __filename, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, DFCHAT_BENCH_FD_RAISED: '1' },
    },
  );
  process.exit(result.status ?? 1);
} else {
  // A missed target is a finding printed in the table, not a failure of the run.
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
