import { createServer } from 'node:net';
import { LoginRateLimiter, RedisLoginRateLimiter } from './login-rate-limiter';

describe('LoginRateLimiter', () => {
  it('should block an address after the allowed failures, until the window ends', () => {
    let now = 0;
    const limiter = new LoginRateLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.isBlocked('a')).toBe(false);
      void limiter.recordFailure('a');
    }
    expect(limiter.isBlocked('a')).toBe(true);
    expect(limiter.retryAfterSeconds('a')).toBe(1);
    expect(limiter.isBlocked('b')).toBe(false);
    now = 1000;
    expect(limiter.isBlocked('a')).toBe(false);
  });
});

describe('RedisLoginRateLimiter', () => {
  it('should go on limiting by its own count while Redis cannot be reached', async () => {
    // A port that was free a moment ago: nothing answers there.
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => done(free));
      });
    });
    const warnings: string[] = [];
    let now = 1_000_000;
    const limiter = new RedisLoginRateLimiter(
      `redis://127.0.0.1:${port}`,
      'test',
      2,
      60,
      (message) => warnings.push(message),
      () => now,
    );
    try {
      expect(await limiter.blockedFor('a')).toBe(0);
      await limiter.recordFailure('a');
      await limiter.recordFailure('a');
      const blockedFor = await limiter.blockedFor('a');
      expect(blockedFor).toBeGreaterThan(0);
      expect(blockedFor).toBeLessThanOrEqual(60);
      expect(await limiter.blockedFor('b')).toBe(0);
      // One warning for the outage, not one per sign-in; again a minute later if it lasts.
      expect(warnings).toHaveLength(1);
      now += 60_000;
      expect(await limiter.blockedFor('a')).toBeGreaterThan(0);
      expect(warnings).toHaveLength(2);
    } finally {
      await limiter.close();
    }
  });
});
