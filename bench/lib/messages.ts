import type { KindFigures } from './soak';
import type { Percentiles } from './stats';

/** What the orchestrator sends a load process. */
export type WorkerCommand =
  | {
      type: 'http';
      url: string;
      connections: number;
      durationSeconds: number;
      /** Each request picks one of these at random (method, path, token, JSON body). */
      requests: { method: 'GET' | 'POST'; path: string; token: string; body?: unknown }[];
    }
  | {
      type: 'sequential';
      url: string;
      token: string;
      paths: string[];
      count: number;
    }
  | {
      type: 'connect';
      /** Websocket URLs with their token; opened in batches, then held until 'close'. */
      urls: string[];
      batch: number;
      /** Record message frames whose body carries a send timestamp. */
      track: boolean;
    }
  | { type: 'report' }
  | { type: 'frames' }
  /** W8: clients that keep each room's seq, count what they receive, and resume after a drop. */
  | { type: 'resumableOpen'; urls: string[]; batch: number }
  | { type: 'resumableDrop' }
  | { type: 'resumableReconnect'; timeoutMs: number }
  | { type: 'resumableReport'; ids: string[] }
  /** W11: the resumable clients (one room each) live through a soak; some send, some drop and resume. */
  | {
      type: 'soakMembers';
      durationSeconds: number;
      /** The room of each client, in the order they were opened. */
      rooms: string[];
      /** Each room's seq when the soak starts: every later change must be applied exactly once. */
      seqs: Record<string, number>;
      /** Clients (by index) that send over their socket, and clients that drop and resume now and then. */
      senders: number[];
      droppers: number[];
      /** Messages sent over the socket per second, by all the senders together. */
      sendsPerSecond: number;
      dropEverySeconds: number;
      /** Makes this process's client_ids its own. */
      tag: string;
    }
  | { type: 'soakReport'; rooms: Record<string, SoakRoomState>; acked: Record<string, string[]> }
  /** W11: the REST side of the soak, from one process. */
  | {
      type: 'soakRest';
      url: string;
      rooms: { id: string; tokens: string[] }[];
      durationSeconds: number;
      postsPerSecond: number;
      readsPerSecond: number;
      seenPerSecond: number;
      searchesPerSecond: number;
      uploaders: number;
      uploadsPerMinute: number;
      tag: string;
    }
  | { type: 'close' }
  | {
      type: 'post';
      url: string;
      path: string;
      tokens: string[];
      perSecond: number;
      durationSeconds: number;
      /** Instead of `path` and `tokens`: each post goes to one of these rooms at random, by one of its members. */
      targets?: { path: string; tokens: string[] }[];
    };

export interface HttpResult {
  requests: number;
  perSecond: number;
  errors: number;
  non2xx: number;
  latency: Percentiles;
  /** From the responses' `Server-Timing: app;dur=` header, where the run reads it. */
  serverLatency?: Percentiles;
}

export interface ConnectResult {
  opened: number;
  failed: number;
  seconds: number;
}

export interface TrackResult {
  /** Message frames received with their post-to-receipt latency, and ids seen per connection. */
  received: number;
  latency: Percentiles;
  /** How many (connection, message) pairs were received, keyed by message id. */
  perMessage: Record<string, number>;
  closedEarly: number;
}

export interface PostResult {
  posted: number;
  errors: number;
  ids: string[];
  latency: Percentiles;
}

export interface ResumableReport {
  clients: number;
  /** Clients that applied every one of the ids exactly once (over both connections). */
  complete: number;
  missing: number;
  /** Messages applied more than once. */
  duplicates: number;
  /** Frames of a seq already applied, ignored (sent again after a resume rewound the room). */
  ignored: number;
  /** Frames past a gap, dropped until the replay brought them in order. */
  dropped: number;
  /** From the start of each reconnect to the resume's ack. */
  ackLatency: Percentiles;
  /** From the start of each reconnect to the socket's open. */
  openLatency: Percentiles;
  acked: number;
  resynced: number;
}

/** A message acknowledged as stored (201/200, a socket ack, or an image's new message). */
export interface AckedMessage {
  id: string;
  roomId: string;
  via: 'rest' | 'socket' | 'image';
}

export interface SoakRestResult {
  /** Per kind of request: HTTP statuses (`error`: no response) and round trips. */
  requests: Record<string, KindFigures>;
  acked: AckedMessage[];
  deleted: string[];
  /** Sends repeated with their client_id: answered with the first message (200), or not. */
  repeats: number;
  repeatMismatches: number;
}

export interface SoakMembersResult {
  /** Per socket action: `ack`, the error frame's code, or `timeout`. */
  actions: Record<string, KindFigures>;
  acked: AckedMessage[];
  repeats: number;
  repeatMismatches: number;
  drops: number;
  /** Reconnects whose resume was not acknowledged in time (tried again). */
  resumeFailures: number;
  resynced: number;
  /** From the start of each reconnect to the resume's ack. */
  ackLatency: Percentiles;
}

/** A room as the server has it at the end: its latest seq, and each message's `messageSignature`. */
export interface SoakRoomState {
  seq: number;
  messages: Record<string, string>;
}

export interface SoakReport {
  clients: number;
  /** (member, acked message) pairs, and those the member's socket got (the message, or its deletion). */
  expected: number;
  delivered: number;
  /** Change frames received again after being applied. */
  repeats: number;
  /** Changes never applied: the room's latest seq is past the client's last (a gap never filled). */
  unapplied: number;
  /** Acked messages whose final state (body, images, reactions; or deleted) differs from the server's. */
  stale: number;
  /** Sockets closed other than by the soak's own drops. */
  closedEarly: number;
  /** Clients that got every message once and end in the server's state. */
  complete: number;
}
