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
