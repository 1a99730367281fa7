/** Why a live socket's token stopped being good. */
export type TokenEnd = 'expired' | 'revoked';

/** What a live socket was authenticated with. */
export interface SocketSession {
  userId: string;
  /** The user's token version the token carries; a password change moves the user's on. */
  tokenVersion: number;
  /** When the token expires (ms since the epoch); null: never. */
  expiresAt: number | null;
}

interface Watched extends SocketSession {
  /** Order of watching, so that a check judges only sockets watched before its read began. */
  sequence: number;
  timer: NodeJS.Timeout | undefined;
}

/** setTimeout's longest delay; a later expiry is caught by the periodic check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Ends live sockets whose token is no longer good: each at its token's expiry (a timer), and those whose
 * user's token version moved on (a password change) at the next periodic check, which reads the token
 * versions of every user watched here in one statement.
 */
export class SocketTokenWatch<C> {
  private readonly watched = new Map<C, Watched>();
  private sequence = 0;
  private interval: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly options: {
      /** The current token version of each of these users that still exists. */
      readVersions: (userIds: string[]) => Promise<Map<string, number>>;
      end: (connection: C, why: TokenEnd) => void;
      recheckMs: number;
      onError: (error: unknown) => void;
    },
  ) {}

  start(): void {
    this.interval = setInterval(() => void this.check(), this.options.recheckMs);
    this.interval.unref();
  }

  stop(): void {
    clearInterval(this.interval);
    for (const connection of [...this.watched.keys()]) {
      this.forget(connection);
    }
  }

  watch(connection: C, session: SocketSession): void {
    this.forget(connection);
    const entry: Watched = { ...session, sequence: this.sequence++, timer: undefined };
    if (session.expiresAt !== null) {
      const delay = Math.max(0, session.expiresAt - Date.now());
      if (delay <= MAX_TIMER_MS) {
        entry.timer = setTimeout(() => this.end(connection, 'expired'), delay);
        entry.timer.unref();
      }
    }
    this.watched.set(connection, entry);
  }

  forget(connection: C): void {
    const entry = this.watched.get(connection);
    if (entry) {
      clearTimeout(entry.timer);
      this.watched.delete(connection);
    }
  }

  get size(): number {
    return this.watched.size;
  }

  /**
   * Ends the sockets whose token expired or whose user's token version changed (or who is gone). A
   * socket watched after the read began may carry a version newer than the read saw, so it waits for
   * the next check.
   */
  async check(): Promise<void> {
    if (this.checking || this.watched.size === 0) {
      return;
    }
    this.checking = true;
    try {
      const now = Date.now();
      for (const [connection, entry] of [...this.watched]) {
        if (entry.expiresAt !== null && entry.expiresAt <= now) {
          this.end(connection, 'expired');
        }
      }
      const before = this.sequence;
      const userIds = [...new Set([...this.watched.values()].map((entry) => entry.userId))];
      if (userIds.length === 0) {
        return;
      }
      const versions = await this.options.readVersions(userIds);
      for (const [connection, entry] of [...this.watched]) {
        if (entry.sequence < before && versions.get(entry.userId) !== entry.tokenVersion) {
          this.end(connection, 'revoked');
        }
      }
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.checking = false;
    }
  }

  private end(connection: C, why: TokenEnd): void {
    if (this.watched.has(connection)) {
      this.forget(connection);
      this.options.end(connection, why);
    }
  }
}
