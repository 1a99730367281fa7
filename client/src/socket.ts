import NodeWebSocket from 'ws';
import {
  type AckFrame,
  type ChangeFrame,
  CLOSE_CODES,
  MAX_RESUME_ROOMS,
  type ClientAction,
  type ErrorCode,
  type Message,
  parseFrame,
  type PresenceFrame,
  type SeenFrame,
  type SendAction,
  type TypingFrame,
} from './protocol';
import { resolveToken, type TokenSource } from './rest';

/** What ChatSocket needs of a WebSocket: the browser's, the `ws` package's, or a test's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ChatSocketOptions {
  /** The server's origin, as for the REST client (`http(s)://` or `ws(s)://`). */
  url: string;
  token: TokenSource;
  /** Defaults to the `ws` package in Node and the global WebSocket elsewhere. */
  WebSocket?: WebSocketConstructor;
  /** How long an action waits for its ack once sent. */
  ackTimeoutMs?: number;
  /** Reconnect delays: doubling from `minDelayMs` up to `maxDelayMs`, each randomised to half-to-whole. */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** The last `seq` applied per room, e.g. kept from an earlier session, to resume from. */
  rooms?: Record<string, number>;
  random?: () => number;
}

export type ChatSocketState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'unauthenticated';

/** The server's error codes, and the client's own: no ack in time, the socket dropped or was closed. */
export type ChatSocketErrorCode = ErrorCode | 'timeout' | 'disconnected' | 'closed' | 'unauthenticated';

export class ChatSocketError extends Error {
  constructor(
    readonly code: ChatSocketErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ChatSocketError';
  }
}

export interface ChatSocketEvents {
  /** A stored change of a room, applied in `seq` order, each once. */
  change: ChangeFrame;
  presence: PresenceFrame;
  typing: TypingFrame;
  seen: SeenFrame;
  /** Rooms whose missed changes the server no longer keeps: reload them over REST. */
  resync: { room_ids: string[] };
  /**
   * After each (re)connect, once every change missed meanwhile is applied and the connection receives all
   * of the user's rooms: what the socket does not replay (unread counts, who is online) read over REST from
   * now on stays current. `reconnected` is false after the first connect.
   */
  synced: { reconnected: boolean };
  state: ChatSocketState;
  /** The token expired or was revoked (close code 4401, or the upgrade refused with 401); no reconnect. */
  unauthenticated: { code: number; reason: string };
  /** An error frame that answers no action of this client. */
  error: ChatSocketError;
}

type Listener<E extends keyof ChatSocketEvents> = (payload: ChatSocketEvents[E]) => void;

interface PendingAction {
  frame: ClientAction;
  /** Sends are sent again after a reconnect (their `client_id` makes that safe); other actions fail. */
  retry: boolean;
  sent: boolean;
  timer?: ReturnType<typeof setTimeout>;
  onAck(frame: AckFrame): void;
  onError(error: ChatSocketError): void;
}

const OPEN = 1;
const SOCKET_PATH = 'api/v1/chat/ws/';

/**
 * The chat websocket: reconnects with backoff, resumes every room from the last `seq` it applied, drops
 * duplicates, fills gaps, and answers actions with promises.
 */
export class ChatSocket {
  private readonly seqs: Map<string, number>;
  private readonly pending = new Map<string, PendingAction>();
  private readonly gapResumes = new Set<string>();
  private readonly listeners = new Map<keyof ChatSocketEvents, Set<(payload: never) => void>>();
  private connectWaiters: { resolve: () => void; reject: (error: ChatSocketError) => void }[] = [];
  private socket?: WebSocketLike;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private attempt = 0;
  private refs = 0;
  private current: ChatSocketState = 'idle';
  private openedBefore = false;

  constructor(private readonly options: ChatSocketOptions) {
    this.seqs = new Map(Object.entries(options.rooms ?? {}));
  }

  get state(): ChatSocketState {
    return this.current;
  }

  /** The last `seq` applied per room: what the next resume asks from. */
  get lastSeqs(): Record<string, number> {
    return Object.fromEntries(this.seqs);
  }

  /** After loading a room over REST (e.g. its `changes` page's `seq`), so that older frames are dropped. */
  setLastSeq(roomId: string, seq: number): void {
    this.seqs.set(roomId, seq);
  }

  on<E extends keyof ChatSocketEvents>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Connects (again, after `close()`); resolves once open, rejects when the token is refused or on `close()`. */
  connect(): Promise<void> {
    if (this.current === 'open') {
      return Promise.resolve();
    }
    const opened = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.current === 'idle' || this.current === 'closed' || this.current === 'unauthenticated') {
      this.attempt = 0;
      this.setState('connecting');
      void this.open();
    }
    return opened;
  }

  /** Closes for good; actions still waiting fail with `closed`. */
  close(): void {
    if (this.current === 'closed') {
      return;
    }
    this.setState('closed');
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    this.failAll(new ChatSocketError('closed', 'the socket was closed'));
  }

  /**
   * Sends a message; resolves with it as stored. A `client_id` is made when none is given and kept when the
   * send is repeated after a reconnect, so the message is stored once.
   */
  send(message: SendAction): Promise<Message> {
    const client_id = message.client_id ?? newClientId();
    return new Promise((resolve, reject) =>
      this.enqueue(
        { action: 'send', ref: this.nextRef(), ...message, client_id },
        true,
        (ack) => {
          if (ack.message) {
            resolve(ack.message);
          } else {
            reject(new ChatSocketError('server_error', 'the ack of send carries no message'));
          }
        },
        reject,
      ),
    );
  }

  /** Marks messages seen; resolves with the ids the server marked. */
  seen(roomId: string, messageIds: string[]): Promise<string[]> {
    return new Promise((resolve, reject) =>
      this.enqueue(
        { action: 'seen', ref: this.nextRef(), room_id: roomId, message_ids: messageIds },
        false,
        (ack) => resolve(ack.message_ids ?? []),
        reject,
      ),
    );
  }

  typing(roomId: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.enqueue({ action: 'typing', ref: this.nextRef(), room_id: roomId }, false, () => resolve(), reject),
    );
  }

  ping(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.enqueue({ action: 'ping', ref: this.nextRef() }, false, () => resolve(), reject),
    );
  }

  private async open(): Promise<void> {
    let token: string | undefined;
    try {
      token = await resolveToken(this.options.token);
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (this.current === 'closed') {
      return;
    }
    let socket: WebSocketLike;
    try {
      const WebSocket = this.options.WebSocket ?? defaultWebSocket();
      socket = new WebSocket(socketUrl(this.options.url, token ?? ''));
    } catch (error) {
      this.setState('closed');
      this.rejectConnect(new ChatSocketError('closed', error instanceof Error ? error.message : String(error)));
      return;
    }
    this.socket = socket;
    // `ws` reports a refused upgrade only in its error's message; browsers tell nothing.
    let failure = '';
    socket.onopen = () => this.opened(socket);
    socket.onmessage = (event: { data: unknown }) => {
      if (socket === this.socket && typeof event.data === 'string') {
        this.receive(event.data);
      }
    };
    socket.onerror = (event: { message?: unknown }) => {
      failure = typeof event.message === 'string' ? event.message : failure;
    };
    socket.onclose = (event: { code: number; reason: string }) =>
      this.closed(socket, event.code, event.reason, failure);
  }

  private opened(socket: WebSocketLike): void {
    if (socket !== this.socket) {
      return;
    }
    this.attempt = 0;
    const reconnected = this.openedBefore;
    this.openedBefore = true;
    // The resume goes first, so that the server replays what was missed before anything else.
    const rooms = Object.entries(this.lastSeqs);
    const batches: Record<string, number>[] = [];
    for (let start = 0; start === 0 || start < rooms.length; start += MAX_RESUME_ROOMS) {
      batches.push(Object.fromEntries(rooms.slice(start, start + MAX_RESUME_ROOMS)));
    }
    let unanswered = batches.length;
    // The server answers a resume once the connection is in all of the user's rooms and the replay is sent.
    const resumeAnswered = () => {
      if (--unanswered === 0 && socket === this.socket) {
        this.emit('synced', { reconnected });
      }
    };
    for (const batch of batches) {
      const resume: PendingAction = {
        frame: { action: 'resume', ref: this.nextRef(), rooms: batch },
        retry: false,
        sent: false,
        onAck: (ack) => {
          this.resync(ack.resync ?? []);
          resumeAnswered();
        },
        onError: (error) => {
          this.reportResumeError(error);
          resumeAnswered();
        },
      };
      this.pending.set(resume.frame.ref, resume);
      this.transmit(resume);
    }
    this.setState('open');
    for (const action of this.pending.values()) {
      if (!action.sent) {
        this.transmit(action);
      }
    }
    const waiters = this.connectWaiters.splice(0);
    waiters.forEach((waiter) => waiter.resolve());
  }

  private closed(socket: WebSocketLike, code: number, reason: string, failure: string): void {
    if (socket !== this.socket) {
      return;
    }
    this.socket = undefined;
    this.gapResumes.clear();
    for (const [ref, action] of this.pending) {
      if (!action.sent) {
        continue;
      }
      clearTimeout(action.timer);
      if (action.retry) {
        action.sent = false;
      } else {
        this.pending.delete(ref);
        action.onError(new ChatSocketError('disconnected', 'the socket closed before the answer came'));
      }
    }
    if (code === CLOSE_CODES.tokenEnded || /Unexpected server response: 401\b/.test(failure)) {
      this.setState('unauthenticated');
      const error = new ChatSocketError('unauthenticated', reason || 'the token was refused');
      this.failAll(error);
      this.rejectConnect(error);
      this.emit('unauthenticated', { code, reason });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.current === 'closed') {
      return;
    }
    const min = this.options.reconnect?.minDelayMs ?? 500;
    const max = this.options.reconnect?.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** this.attempt);
    this.attempt++;
    const delay = ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2;
    this.setState('reconnecting');
    this.reconnectTimer = setTimeout(() => void this.open(), delay);
  }

  private receive(text: string): void {
    const parsed = parseFrame(text);
    switch (parsed.kind) {
      case 'ack':
        this.settle(parsed.frame.ack)?.onAck(parsed.frame);
        return;
      case 'error': {
        const { ref, code, message, field } = parsed.frame.error;
        const error = new ChatSocketError(code, message, field);
        const action = ref === null ? undefined : this.settle(ref);
        if (action) {
          action.onError(error);
        } else {
          this.emit('error', error);
        }
        return;
      }
      case 'change':
        this.apply(parsed.frame);
        return;
      case 'presence':
        this.emit('presence', parsed.frame);
        return;
      case 'typing':
        this.emit('typing', parsed.frame);
        return;
      case 'seen':
        this.emit('seen', parsed.frame);
        return;
      case 'unknown':
        return;
    }
  }

  private apply(frame: ChangeFrame): void {
    const last = this.seqs.get(frame.room_id);
    if (last !== undefined && frame.seq <= last) {
      return;
    }
    if (last !== undefined && frame.seq > last + 1) {
      // The frames in between are replayed by the resume, this one among them.
      this.resumeRoom(frame.room_id, last);
      return;
    }
    if (frame.deleted_room) {
      this.seqs.delete(frame.room_id);
    } else {
      this.seqs.set(frame.room_id, frame.seq);
    }
    this.emit('change', frame);
  }

  private resumeRoom(roomId: string, since: number): void {
    if (this.gapResumes.has(roomId)) {
      return;
    }
    this.gapResumes.add(roomId);
    this.enqueue(
      { action: 'resume', ref: this.nextRef(), rooms: { [roomId]: since } },
      false,
      (ack) => {
        this.gapResumes.delete(roomId);
        this.resync(ack.resync ?? []);
      },
      (error) => {
        this.gapResumes.delete(roomId);
        this.reportResumeError(error);
      },
    );
  }

  /** A resume cut short by the connection is made again on reconnect; only the server's refusals are news. */
  private reportResumeError(error: ChatSocketError): void {
    if (error.code !== 'disconnected' && error.code !== 'closed' && error.code !== 'unauthenticated') {
      this.emit('error', error);
    }
  }

  private resync(roomIds: string[]): void {
    if (roomIds.length === 0) {
      return;
    }
    // Whatever frame comes next for these rooms starts them afresh, after the app reloads them.
    roomIds.forEach((roomId) => this.seqs.delete(roomId));
    this.emit('resync', { room_ids: roomIds });
  }

  private enqueue(
    frame: ClientAction,
    retry: boolean,
    onAck: (frame: AckFrame) => void,
    onError: (error: ChatSocketError) => void,
  ): void {
    if (this.current === 'closed' || this.current === 'unauthenticated') {
      onError(new ChatSocketError(this.current, `the socket is ${this.current}`));
      return;
    }
    const action: PendingAction = { frame, retry, sent: false, onAck, onError };
    this.pending.set(frame.ref, action);
    if (this.current === 'open') {
      this.transmit(action);
    }
  }

  private transmit(action: PendingAction): void {
    if (!this.socket || this.socket.readyState !== OPEN) {
      return;
    }
    action.sent = true;
    this.socket.send(JSON.stringify(action.frame));
    const ref = action.frame.ref;
    action.timer = setTimeout(() => {
      if (this.pending.get(ref) === action) {
        this.pending.delete(ref);
        action.onError(new ChatSocketError('timeout', `no answer to ${action.frame.action} in time`));
      }
    }, this.options.ackTimeoutMs ?? 10_000);
  }

  private settle(ref: string): PendingAction | undefined {
    const action = this.pending.get(ref);
    if (action) {
      this.pending.delete(ref);
      clearTimeout(action.timer);
    }
    return action;
  }

  private failAll(error: ChatSocketError): void {
    const actions = [...this.pending.values()];
    this.pending.clear();
    for (const action of actions) {
      clearTimeout(action.timer);
      action.onError(error);
    }
    this.rejectConnect(error);
  }

  private rejectConnect(error: ChatSocketError): void {
    const waiters = this.connectWaiters.splice(0);
    waiters.forEach((waiter) => waiter.reject(error));
  }

  private nextRef(): string {
    return `r${++this.refs}`;
  }

  private setState(state: ChatSocketState): void {
    if (state !== this.current) {
      this.current = state;
      this.emit('state', state);
    }
  }

  private emit<E extends keyof ChatSocketEvents>(event: E, payload: ChatSocketEvents[E]): void {
    const set = this.listeners.get(event) as Set<Listener<E>> | undefined;
    for (const listener of [...(set ?? [])]) {
      listener(payload);
    }
  }
}

function socketUrl(base: string, token: string): string {
  const url = new URL(SOCKET_PATH, base.endsWith('/') ? base : `${base}/`);
  url.protocol = url.protocol.replace(/^http/, 'ws');
  url.searchParams.set('token', token);
  return url.toString();
}

function defaultWebSocket(): WebSocketConstructor {
  // Bundlers map `ws` to nothing in browsers (package.json "browser"), where the global one is used.
  const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (inNode && typeof NodeWebSocket === 'function') {
    return NodeWebSocket;
  }
  if (typeof globalThis.WebSocket === 'function') {
    return globalThis.WebSocket;
  }
  throw new Error('no WebSocket here: pass the WebSocket option');
}

/** A `client_id`: 32 hex digits (getRandomValues works where randomUUID needs a secure context). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
