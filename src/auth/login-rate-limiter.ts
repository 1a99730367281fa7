import { Redis } from 'ioredis';

/**
 * Counts failed sign-ins per client address in a fixed window. Only failures count, and only per
 * address, so a guesser is stopped without locking the real user out from elsewhere.
 */
export abstract class FailedSignIns {
  /** Seconds until the address may try again; 0 when it may try now. */
  abstract blockedFor(address: string): Promise<number>;
  abstract recordFailure(address: string): Promise<void>;
  abstract close(): Promise<void>;
}

/** One instance: counted in memory. */
export class LoginRateLimiter extends FailedSignIns {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  blockedFor(address: string): Promise<number> {
    return Promise.resolve(this.isBlocked(address) ? this.retryAfterSeconds(address) : 0);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  isBlocked(address: string): boolean {
    const entry = this.current(address);
    return entry !== undefined && entry.count >= this.maxFailures;
  }

  retryAfterSeconds(address: string): number {
    const entry = this.current(address);
    return entry ? Math.ceil((entry.resetAt - this.now()) / 1000) : 0;
  }

  recordFailure(address: string): Promise<void> {
    const entry = this.current(address);
    if (entry) {
      entry.count += 1;
      return Promise.resolve();
    }
    if (this.failures.size > 100_000) {
      this.prune();
    }
    this.failures.set(address, { count: 1, resetAt: this.now() + this.windowMs });
    return Promise.resolve();
  }

  private current(address: string): { count: number; resetAt: number } | undefined {
    const entry = this.failures.get(address);
    if (entry && entry.resetAt <= this.now()) {
      this.failures.delete(address);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    const now = this.now();
    for (const [address, entry] of this.failures) {
      if (entry.resetAt <= now) {
        this.failures.delete(address);
      }
    }
  }
}

/**
 * Several instances: counted in the shared Redis, so that each instance does not grant its own quota.
 * Each instance also counts its own failures in memory, and decides by those while Redis cannot be
 * reached: sign-in keeps working, and keeps being limited, through a Redis outage. The outage is
 * logged once a minute at most, not at every sign-in.
 */
export class RedisLoginRateLimiter extends FailedSignIns {
  private readonly redis: Redis;
  private readonly local: LoginRateLimiter;
  private lastWarningAt = Number.NEGATIVE_INFINITY;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.local = new LoginRateLimiter(maxFailures, windowSeconds * 1000);
    // Connected on first use: a process that never signs anyone in never connects.
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
  }

  private key(address: string): string {
    return `${this.prefix}:sign-in-failures:${address}`;
  }

  async blockedFor(address: string): Promise<number> {
    try {
      const [[, count], [, ttl]] = (await this.redis.multi().get(this.key(address)).ttl(this.key(address)).exec()) as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      return Number(count ?? 0) >= this.maxFailures ? Math.max(ttl, 1) : 0;
    } catch (error) {
      this.warnAtMostEveryMinute(`failed sign-ins counted on this instance only: ${String(error)}`);
      return this.local.blockedFor(address);
    }
  }

  async recordFailure(address: string): Promise<void> {
    await this.local.recordFailure(address);
    await this.redis
      .multi()
      .incr(this.key(address))
      .expire(this.key(address), this.windowSeconds, 'NX')
      .exec()
      .catch((error: unknown) => this.warnAtMostEveryMinute(`failed sign-in not counted in Redis: ${String(error)}`));
  }

  private warnAtMostEveryMinute(message: string): void {
    if (this.now() - this.lastWarningAt >= 60_000) {
      this.lastWarningAt = this.now();
      this.warn(message);
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => undefined);
    } else {
      this.redis.disconnect();
    }
  }
}
