/**
 * Counts failed sign-ins per client address in a fixed window. Only failures count, and only per
 * address, so a guesser is stopped without locking the real user out from elsewhere.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  isBlocked(address: string): boolean {
    const entry = this.current(address);
    return entry !== undefined && entry.count >= this.maxFailures;
  }

  retryAfterSeconds(address: string): number {
    const entry = this.current(address);
    return entry ? Math.ceil((entry.resetAt - this.now()) / 1000) : 0;
  }

  recordFailure(address: string): void {
    const entry = this.current(address);
    if (entry) {
      entry.count += 1;
      return;
    }
    if (this.failures.size > 100_000) {
      this.prune();
    }
    this.failures.set(address, { count: 1, resetAt: this.now() + this.windowMs });
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
