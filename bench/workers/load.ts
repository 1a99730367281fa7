/**
 * A load generator, forked by the bench so that the load never runs in the app's process nor in the
 * orchestrator's. It obeys one command at a time (see WorkerCommand) and answers with its result.
 */
import autocannon from 'autocannon';
import WebSocket from 'ws';
import type {
  ConnectResult,
  HttpResult,
  PostResult,
  ResumableReport,
  TrackResult,
  WorkerCommand,
} from '../lib/messages';
import { nowMs, percentiles } from '../lib/stats';

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
  const total = Math.round(command.perSecond * command.durationSeconds);
  const interval = 1000 / command.perSecond;
  const samples: number[] = [];
  const ids: string[] = [];
  let errors = 0;
  const started = nowMs();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + index * interval;
    const wait = due - nowMs();
    if (wait > 0) {
      await new Promise((done) => setTimeout(done, wait));
    }
    const sent = nowMs();
    const target = command.targets ? pick(command.targets) : command;
    inFlight.push(
      fetch(`${command.url}${target.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pick(target.tokens)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `bench ${sent}` }),
      })
        .then(async (response) => {
          const body = (await response.json()) as { id?: string };
          samples.push(nowMs() - sent);
          if (response.status === 201 && body.id) {
            ids.push(body.id);
          } else {
            errors++;
          }
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inFlight);
  return { posted: ids.length, errors, ids, latency: percentiles(samples) };
}

/**
 * A W8 client, as the typed client (`client/src/socket.ts`) is: it applies each room's frames in seq
 * order, each once, and resumes from the last it applied. A frame at or below that seq is ignored; one
 * past a gap is dropped, as the resume's replay brings it in order.
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
}
const resumables: Resumable[] = [];

function openResumable(client: Resumable, resume: boolean): Promise<boolean> {
  const started = nowMs();
  return new Promise((resolve) => {
    const socket = new WebSocket(client.url, { perMessageDeflate: false });
    client.socket = socket;
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
    socket.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse((data as Buffer).toString()) as {
        room_id?: string;
        seq?: number;
        messages?: { id: string; body: string }[];
        ack?: string;
        resync?: string[];
      };
      if (frame.ack === 'resume') {
        client.ackMs = nowMs() - started;
        client.resynced = (frame.resync ?? []).length > 0;
        resolve(true);
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
        if (message.body.startsWith('bench ')) {
          client.received.set(message.id, (client.received.get(message.id) ?? 0) + 1);
        }
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
    client.socket?.terminate();
  }
  return { dropped: resumables.length };
}

async function resumableReconnect(command: Extract<WorkerCommand, { type: 'resumableReconnect' }>) {
  const started = nowMs();
  const results = await Promise.all(
    resumables.map((client) =>
      Promise.race([
        openResumable(client, true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), command.timeoutMs).unref()),
      ]),
    ),
  );
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
  closing = true;
  for (const client of resumables.splice(0)) {
    client.socket?.terminate();
  }
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
};

process.on('message', (command: WorkerCommand) => {
  const handler = handlers[command.type] as (command: WorkerCommand) => unknown;
  Promise.resolve(handler(command)).then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: String(error) }),
  );
});
