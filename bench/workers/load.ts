/**
 * A load generator, forked by the bench so that the load never runs in the app's process nor in the
 * orchestrator's. It obeys one command at a time (see WorkerCommand) and answers with its result.
 */
import autocannon from 'autocannon';
import WebSocket from 'ws';
import type {
  AckedMessage,
  ConnectResult,
  HttpResult,
  PostResult,
  ResumableReport,
  SoakMembersResult,
  SoakReport,
  TrackResult,
  WorkerCommand,
} from '../lib/messages';
import { paced } from '../lib/pacing';
import { MessageState, messageSignature, soakBody, Tally } from '../lib/soak';
import { nowMs, percentiles } from '../lib/stats';
import { soakRest } from './soak-rest';

const sockets: WebSocket[] = [];
const latencies: number[] = [];
const perMessage: Record<string, number> = {};
let closedEarly = 0;
let frames = 0;
let closing = false;

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];

async function http(command: Extract<WorkerCommand, { type: 'http' }>): Promise<HttpResult> {
  const result = await autocannon({
    url: command.url,
    connections: command.connections,
    duration: command.durationSeconds,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const chosen = pick(command.requests);
          return {
            ...request,
            method: chosen.method,
            path: chosen.path,
            headers: {
              authorization: `Bearer ${chosen.token}`,
              ...(chosen.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: chosen.body === undefined ? undefined : JSON.stringify(chosen.body),
          };
        },
      },
    ],
  });
  const latency = result.latency;
  return {
    requests: result.requests.total,
    perSecond: result.requests.total / (result.duration || command.durationSeconds),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    latency: {
      p50: latency.p50,
      p90: latency.p90,
      p95: latency.p97_5 >= latency.p90 ? interpolate95(latency) : latency.p90,
      p99: latency.p99,
      max: latency.max,
      count: result.requests.total,
    },
  };
}

/** autocannon gives p90 and p97.5; p95 lies between them. */
const interpolate95 = (latency: Record<string, number>): number =>
  latency.p90 + ((95 - 90) / (97.5 - 90)) * (latency.p97_5 - latency.p90);

async function sequential(command: Extract<WorkerCommand, { type: 'sequential' }>): Promise<HttpResult> {
  const samples: number[] = [];
  const serverSamples: number[] = [];
  let errors = 0;
  const started = nowMs();
  for (let index = 0; index < command.count; index++) {
    const path = command.paths[index % command.paths.length];
    const before = nowMs();
    const response = await fetch(`${command.url}${path}`, { headers: { authorization: `Bearer ${command.token}` } });
    await response.arrayBuffer();
    samples.push(nowMs() - before);
    const serverTiming = /app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
    if (serverTiming) {
      serverSamples.push(Number(serverTiming[1]));
    }
    if (!response.ok) {
      errors++;
    }
  }
  return {
    requests: command.count,
    perSecond: command.count / ((nowMs() - started) / 1000),
    errors: 0,
    non2xx: errors,
    latency: percentiles(samples),
    serverLatency: serverSamples.length === samples.length ? percentiles(serverSamples) : undefined,
  };
}

function onFrame(data: Buffer): void {
  const received = nowMs();
  const frame = JSON.parse(data.toString()) as { messages?: { id: string; body: string }[] };
  for (const message of frame.messages ?? []) {
    if (message.body.startsWith('bench ')) {
      latencies.push(received - Number(message.body.slice(6)));
      perMessage[message.id] = (perMessage[message.id] ?? 0) + 1;
    }
  }
}

function open(url: string, track: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('open', () => {
      sockets.push(socket);
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('unexpected-response', () => resolve(false));
    socket.on('close', () => {
      if (!closing) {
        closedEarly++;
      }
    });
    socket.on('message', (data: WebSocket.RawData) => {
      frames++;
      if (track) {
        onFrame(data as Buffer);
      }
    });
  });
}

async function connect(command: Extract<WorkerCommand, { type: 'connect' }>): Promise<ConnectResult> {
  const started = nowMs();
  let opened = 0;
  for (let start = 0; start < command.urls.length; start += command.batch) {
    const results = await Promise.all(
      command.urls.slice(start, start + command.batch).map((url) => open(url, command.track)),
    );
    opened += results.filter(Boolean).length;
  }
  return { opened, failed: command.urls.length - opened, seconds: (nowMs() - started) / 1000 };
}

function report(): TrackResult {
  return { received: latencies.length, latency: percentiles(latencies), perMessage, closedEarly };
}

async function close(): Promise<{ closed: number }> {
  closing = true;
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) {
            resolve();
            return;
          }
          socket.once('close', () => resolve());
          socket.close();
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2000).unref();
        }),
    ),
  );
  return { closed: sockets.length };
}

/** Posts at a steady rate, each as a random one of the tokens, the send time in the body. */
async function post(command: Extract<WorkerCommand, { type: 'post' }>): Promise<PostResult> {
  const samples: number[] = [];
  const ids: string[] = [];
  let errors = 0;
  await paced(command.perSecond, command.durationSeconds, async () => {
    const sent = nowMs();
    const target = command.targets ? pick(command.targets) : command;
    try {
      const response = await fetch(`${command.url}${target.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pick(target.tokens)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `bench ${sent}` }),
      });
      const body = (await response.json()) as { id?: string };
      samples.push(nowMs() - sent);
      if (response.status === 201 && body.id) {
        ids.push(body.id);
      } else {
        errors++;
      }
    } catch {
      errors++;
    }
  });
  return { posted: ids.length, errors, ids, latency: percentiles(samples) };
}

/**
 * A client that applies each room's change frames in seq order, each once, and resumes from the last
 * it applied (W8, W11), as the typed client (`client/src/socket.ts`) does: a frame at or below that seq
 * is ignored, and one past a gap is dropped, as the resume's replay brings it in order. It keeps what it
 * applied: how often each message came, each message as last shown, and the messages it was told were
 * deleted.
 */
interface Resumable {
  url: string;
  socket: WebSocket | null;
  seqs: Record<string, number>;
  received: Map<string, number>;
  ackMs: number | null;
  /** From the start of the reconnect to the socket's open (the upgrade). */
  openMs: number | null;
  resynced: boolean;
  /** Frames of a seq already applied (sent again after a resume rewound the room), ignored. */
  ignored: number;
  /** Frames past a gap (live frames ahead of a late resume's replay), dropped. */
  dropped: number;
  /** Each message as last applied (`messageSignature`); a deleted one is removed. */
  views: Map<string, string>;
  deleted: Set<string>;
  /** The answers its own actions await, by ref. */
  awaiting: Map<string, (frame: ReplyFrame) => void>;
  /** Set while the client means its socket to be down (a drop, or the end). */
  dropping: boolean;
  closedEarly: number;
}
const resumables: Resumable[] = [];

interface ReplyFrame {
  ack?: string;
  resync?: string[];
  message?: { id: string };
  error?: { ref: string | null; code: string };
}

function openResumable(client: Resumable, resume: boolean): Promise<boolean> {
  const started = nowMs();
  return new Promise((resolve) => {
    const socket = new WebSocket(client.url, { perMessageDeflate: false });
    client.socket = socket;
    client.dropping = false;
    socket.once('open', () => {
      client.openMs = nowMs() - started;
      if (resume) {
        socket.send(JSON.stringify({ action: 'resume', ref: 'resume', rooms: client.seqs }));
      } else {
        resolve(true);
      }
    });
    socket.once('error', () => resolve(false));
    socket.once('unexpected-response', () => resolve(false));
    socket.once('close', () => {
      if (client.socket === socket && !client.dropping && !closing) {
        client.closedEarly++;
      }
    });
    socket.on('message', (data: WebSocket.RawData) => {
      frames++;
      const frame = JSON.parse((data as Buffer).toString()) as ReplyFrame & {
        room_id?: string;
        seq?: number;
        messages?: (MessageState & { id: string })[];
        deleted_messages?: { id: string }[];
      };
      const ref = frame.ack ?? frame.error?.ref;
      if (ref === 'resume') {
        client.ackMs = nowMs() - started;
        client.resynced = (frame.resync ?? []).length > 0;
        resolve(frame.ack === 'resume');
        return;
      }
      if (ref) {
        client.awaiting.get(ref)?.(frame);
        client.awaiting.delete(ref);
        return;
      }
      if (frame.room_id && frame.seq !== undefined) {
        const last = client.seqs[frame.room_id];
        if (last !== undefined && frame.seq <= last) {
          client.ignored++;
          return;
        }
        if (last !== undefined && frame.seq > last + 1) {
          client.dropped++;
          return;
        }
        client.seqs[frame.room_id] = frame.seq;
      }
      for (const message of frame.messages ?? []) {
        client.received.set(message.id, (client.received.get(message.id) ?? 0) + 1);
        client.views.set(message.id, messageSignature(message));
      }
      for (const { id } of frame.deleted_messages ?? []) {
        client.views.delete(id);
        client.deleted.add(id);
      }
    });
  });
}

async function resumableOpen(command: Extract<WorkerCommand, { type: 'resumableOpen' }>): Promise<ConnectResult> {
  const started = nowMs();
  let opened = 0;
  for (let start = 0; start < command.urls.length; start += command.batch) {
    const batch = command.urls.slice(start, start + command.batch).map((url) => {
      const client: Resumable = {
        url,
        socket: null,
        seqs: {},
        received: new Map(),
        ackMs: null,
        openMs: null,
        resynced: false,
        ignored: 0,
        dropped: 0,
        views: new Map(),
        deleted: new Set(),
        awaiting: new Map(),
        dropping: false,
        closedEarly: 0,
      };
      resumables.push(client);
      return openResumable(client, false);
    });
    opened += (await Promise.all(batch)).filter(Boolean).length;
  }
  return { opened, failed: command.urls.length - opened, seconds: (nowMs() - started) / 1000 };
}

/** Every client loses its connection at once, as a network drop would (no close handshake). */
function resumableDrop(): { dropped: number } {
  for (const client of resumables) {
    drop(client);
  }
  return { dropped: resumables.length };
}

function drop(client: Resumable): void {
  client.dropping = true;
  client.socket?.terminate();
}

/** Opens the client's socket again and resumes; false when the resume was not acknowledged within `timeoutMs`. */
function reconnect(client: Resumable, timeoutMs: number): Promise<boolean> {
  return Promise.race([
    openResumable(client, true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
  ]);
}

async function resumableReconnect(command: Extract<WorkerCommand, { type: 'resumableReconnect' }>) {
  const started = nowMs();
  const results = await Promise.all(resumables.map((client) => reconnect(client, command.timeoutMs)));
  return { acked: results.filter(Boolean).length, seconds: (nowMs() - started) / 1000 };
}

function resumableReport(command: Extract<WorkerCommand, { type: 'resumableReport' }>): ResumableReport {
  let complete = 0;
  let missing = 0;
  let duplicates = 0;
  for (const client of resumables) {
    let whole = true;
    for (const id of command.ids) {
      const times = client.received.get(id) ?? 0;
      if (times === 0) {
        missing++;
        whole = false;
      } else if (times > 1) {
        duplicates += times - 1;
        whole = false;
      }
    }
    complete += whole ? 1 : 0;
  }
  const acks = resumables.flatMap((client) => (client.ackMs === null ? [] : [client.ackMs]));
  const report = {
    clients: resumables.length,
    complete,
    missing,
    duplicates,
    ackLatency: percentiles(acks),
    openLatency: percentiles(resumables.flatMap((client) => (client.openMs === null ? [] : [client.openMs]))),
    acked: acks.length,
    resynced: resumables.filter((client) => client.resynced).length,
    ignored: resumables.reduce((sum, client) => sum + client.ignored, 0),
    dropped: resumables.reduce((sum, client) => sum + client.dropped, 0),
  };
  closeResumables();
  return report;
}

function closeResumables(): void {
  closing = true;
  for (const client of resumables.splice(0)) {
    client.socket?.terminate();
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const isOpen = (client: Resumable) => client.socket?.readyState === WebSocket.OPEN && !client.dropping;
let refs = 0;
/** The room of each resumable client, for W11. */
let soakRooms: string[] = [];

/** Sends one action on the client's socket; its ack or error frame, or null when none came in time. */
function act(client: Resumable, action: object, timeoutMs = 30_000): Promise<ReplyFrame | null> {
  const ref = `a${++refs}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.awaiting.delete(ref);
      resolve(null);
    }, timeoutMs);
    client.awaiting.set(ref, (frame) => {
      clearTimeout(timer);
      resolve(frame);
    });
    client.socket!.send(JSON.stringify({ ...action, ref }));
  });
}

/**
 * W11, the members' side: every client stays connected for the duration, except the droppers, which
 * lose their connection now and then (no close handshake) and resume from the seqs they applied; the
 * senders send messages over the socket (with a client_id, a few of them twice), say they are typing,
 * and mark what they received seen.
 */
async function soakMembers(command: Extract<WorkerCommand, { type: 'soakMembers' }>): Promise<SoakMembersResult> {
  const tally = new Tally();
  const acked: AckedMessage[] = [];
  const ackLatency: number[] = [];
  let repeats = 0;
  let repeatMismatches = 0;
  let drops = 0;
  let resumeFailures = 0;
  let resynced = 0;
  soakRooms = command.rooms;
  resumables.forEach((client, index) => {
    client.seqs[soakRooms[index]] ??= command.seqs[soakRooms[index]];
  });
  const end = nowMs() + command.durationSeconds * 1000;
  const timed = async <T>(kind: string, work: () => Promise<ReplyFrame | null>, then?: (frame: ReplyFrame) => T) => {
    const started = nowMs();
    const frame = await work();
    tally.record(kind, frame === null ? 'timeout' : (frame.error?.code ?? 'ack'), nowMs() - started);
    return frame && !frame.error && then ? then(frame) : undefined;
  };

  const send = async (n: number) => {
    const index = pick(command.senders);
    const client = resumables[index];
    const roomId = command.rooms[index];
    if (!isOpen(client)) {
      tally.record('send', 'not connected', 0);
      return;
    }
    if (Math.random() < 0.3) {
      await timed('typing', () => act(client, { action: 'typing', room_id: roomId }));
    }
    const action = { action: 'send', room_id: roomId, body: soakBody(n), client_id: `${command.tag}-${n}` };
    const id = await timed(
      'send',
      () => act(client, action),
      (frame) => frame.message?.id,
    );
    if (!id) {
      return;
    }
    acked.push({ id, roomId, via: 'socket' });
    if (Math.random() < 0.05) {
      await timed(
        'send (repeat)',
        () => act(client, action),
        (frame) => {
          if (frame.message?.id === id) {
            repeats++;
          } else {
            repeatMismatches++;
          }
        },
      );
    }
    const seen = [...client.views.keys()].slice(-5);
    if (seen.length > 0 && Math.random() < 0.3) {
      await timed('seen', () => act(client, { action: 'seen', room_id: roomId, message_ids: seen }));
    }
  };

  const dropNowAndThen = async (client: Resumable) => {
    for (;;) {
      const wait = command.dropEverySeconds * 1000 * (0.5 + Math.random());
      // The last drop's replay must be over well before the soak ends.
      if (nowMs() + wait + 10_000 > end) {
        return;
      }
      await sleep(wait);
      drop(client);
      drops++;
      await sleep(500 + Math.random() * 2500);
      for (let attempt = 0; ; attempt++) {
        const started = nowMs();
        if (await reconnect(client, 30_000)) {
          ackLatency.push(client.ackMs!);
          resynced += client.resynced ? 1 : 0;
          tally.record('resume', 'ack', client.ackMs!);
          break;
        }
        resumeFailures++;
        tally.record('resume', 'failed', nowMs() - started);
        drop(client);
        if (attempt === 5) {
          return;
        }
        await sleep(1000);
      }
    }
  };

  await Promise.all([
    paced(command.sendsPerSecond, command.durationSeconds, send),
    ...command.droppers.map((index) => dropNowAndThen(resumables[index])),
  ]);
  return {
    actions: tally.figures(),
    acked,
    repeats,
    repeatMismatches,
    drops,
    resumeFailures,
    resynced,
    ackLatency: percentiles(ackLatency),
  };
}

/**
 * W11's verdict per client against the server's final state: every acknowledged message of its room
 * came (or its deletion did), no change twice, none left out, and each message ends as the server has it.
 */
function soakReport(command: Extract<WorkerCommand, { type: 'soakReport' }>): SoakReport {
  const report: SoakReport = {
    clients: resumables.length,
    expected: 0,
    delivered: 0,
    repeats: 0,
    unapplied: 0,
    stale: 0,
    closedEarly: 0,
    complete: 0,
  };
  resumables.forEach((client, index) => {
    const roomId = soakRooms[index];
    const final = command.rooms[roomId];
    let delivered = 0;
    let stale = 0;
    const ids = command.acked[roomId] ?? [];
    for (const id of ids) {
      if (client.received.has(id) || client.deleted.has(id)) {
        delivered++;
      }
      if (client.views.get(id) !== final.messages[id]) {
        stale++;
      }
    }
    // A gap never filled leaves the client's seq behind the room's.
    const unapplied = Math.max(0, final.seq - (client.seqs[roomId] ?? 0));
    report.expected += ids.length;
    report.delivered += delivered;
    report.stale += stale;
    report.repeats += client.ignored;
    report.unapplied += unapplied;
    report.closedEarly += client.closedEarly;
    report.complete += delivered === ids.length && stale === 0 && client.ignored === 0 && unapplied === 0 ? 1 : 0;
  });
  closeResumables();
  return report;
}

const handlers: { [K in WorkerCommand['type']]: (command: Extract<WorkerCommand, { type: K }>) => unknown } = {
  http,
  sequential,
  connect,
  report,
  frames: () => ({ frames }),
  close,
  post,
  resumableOpen,
  resumableDrop,
  resumableReconnect,
  resumableReport,
  soakMembers,
  soakReport,
  soakRest,
};

process.on('message', (command: WorkerCommand) => {
  const handler = handlers[command.type] as (command: WorkerCommand) => unknown;
  Promise.resolve(handler(command)).then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: String(error) }),
  );
});
