import WebSocket from 'ws';
import type { TestApp } from './app';

/** Any frame the server sends: change and presence frames, typing, seen, acks and errors. */
export interface ServerFrame {
  room_id?: string;
  seq?: number;
  /** In change and presence frames (the helpers below also look at other frames: they check). */
  messages: any[];
  users: any[];
  deleted_messages?: { id: string; room_id: string }[];
  room?: any;
  deleted_room?: true;
  typing?: { user_id: string; name: string }[];
  seen?: { message_ids: string[]; message_new_count: number; mention_new_count: number };
  ack?: string;
  message?: any;
  message_ids?: string[];
  resync?: string[];
  error?: { ref: string | null; code: string; message: string; field?: string };
}

export interface TestSocket {
  frames: ServerFrame[];
  /**
   * Resolves with the first frame (already received or coming) that matches, else rejects after `ms`; only
   * frames from index `from` on count, so a state the room was in before (a user offline at its creation,
   * a message before its reaction) does not answer for the change the test waits for.
   */
  waitFor(match: (frame: ServerFrame) => boolean, ms?: number, from?: number): Promise<ServerFrame>;
  /**
   * Resolves when no frame matching arrives within `ms` (to prove that nothing is pushed); only frames from
   * index `from` on count, so frames of earlier events still in flight when the test began are ignored.
   */
  expectNone(match: (frame: ServerFrame) => boolean, ms?: number, from?: number): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
  /** Sends an action with a fresh `ref`; resolves with its ack or error frame. */
  act(action: Record<string, unknown>, ms?: number): Promise<ServerFrame>;
  raw: WebSocket;
}

/**
 * Opens a websocket as a client would; rejects with the HTTP status when the upgrade is refused. `headers`
 * go with the upgrade request (e.g. `authorization`).
 */
export function connect(
  app: TestApp,
  token?: string,
  path = '/api/v1/chat/ws/',
  headers: Record<string, string> = {},
): Promise<TestSocket> {
  const url = `${app.wsUrl}${path}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
  const raw = new WebSocket(url, { headers });
  const frames: ServerFrame[] = [];
  let refs = 0;
  const waiters: {
    match: (frame: ServerFrame) => boolean;
    resolve: (frame: ServerFrame) => void;
    fail: (error: Error) => void;
  }[] = [];
  raw.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.match(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  // No frame comes after the close: waiters fail then rather than hold a timer to their deadline.
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    raw.on('close', (code: number, reason: Buffer) => {
      for (const waiter of waiters.splice(0)) {
        waiter.fail(new Error(`closed (${code}) before a matching frame; got ${JSON.stringify(frames)}`));
      }
      resolve({ code, reason: reason.toString() });
    }),
  );
  return new Promise((resolve, reject) => {
    raw.once('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode }));
    });
    raw.once('error', reject);
    raw.once('open', () => resolve(socket));
    const socket: TestSocket = {
      frames,
      raw,
      closed,
      waitFor(match, ms = 5000, from = 0) {
        const found = frames.slice(from).find(match);
        if (found) {
          return Promise.resolve(found);
        }
        if (raw.readyState === WebSocket.CLOSED) {
          return Promise.reject(new Error(`closed before a matching frame; got ${JSON.stringify(frames)}`));
        }
        return new Promise((done, fail) => {
          const waiter = {
            match,
            resolve: (frame: ServerFrame) => {
              clearTimeout(timer);
              done(frame);
            },
            fail: (error: Error) => {
              clearTimeout(timer);
              fail(error);
            },
          };
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            fail(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(frames)}`));
          }, ms);
          waiters.push(waiter);
        });
      },
      async expectNone(match, ms = 700, from = 0) {
        await new Promise((done) => setTimeout(done, ms));
        const found = frames.slice(from).find(match);
        if (found) {
          throw new Error(`unexpected frame: ${JSON.stringify(found)}`);
        }
      },
      act(action, ms = 10_000) {
        const ref = `r${++refs}`;
        raw.send(JSON.stringify({ ...action, ref }));
        return socket.waitFor((frame) => frame.ack === ref || frame.error?.ref === ref, ms, frames.length);
      },
      async close() {
        if (raw.readyState === WebSocket.OPEN || raw.readyState === WebSocket.CONNECTING) {
          raw.close();
        }
        await closed;
      },
    };
  });
}

export const hasMessage =
  (id: string, extra: (message: any) => boolean = () => true) =>
  (frame: ServerFrame) =>
    (frame.messages ?? []).some((message) => message.id === id && extra(message));

export const hasUser =
  (userId: string, extra: (roomUser: any) => boolean = () => true) =>
  (frame: ServerFrame) =>
    (frame.users ?? []).some((roomUser) => roomUser.user_id === userId && extra(roomUser));

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
