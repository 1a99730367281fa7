import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  IRateLimiterOptions,
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig } from '../config/config';
import { throttled } from '../errors/app-error';

/** The budgets a client spends; each is keyed by user, or by client address where there is no user yet. */
export type RateLimitName = 'messages' | 'uploads' | 'registrations';

export const RATE_LIMIT_KEYS: Record<RateLimitName, 'user' | 'address'> = {
  messages: 'user',
  uploads: 'user',
  registrations: 'address',
};

const MESSAGES_OVER_LIMIT: Record<RateLimitName, string> = {
  messages: 'Too many messages sent',
  uploads: 'Too many images uploaded',
  registrations: 'Too many registrations from this address',
};

/** The extra allowance above the sustained message rate comes back over this many seconds. */
const MESSAGE_BURST_WINDOW_SECONDS = 10;

interface Consumer {
  consume(key: string): Promise<RateLimiterRes>;
}

/**
 * The abuse limits of the contract, one budget per limit and key. With REDIS_URL the budgets live in
 * Redis, so that every instance spends the same one; while Redis cannot be reached each instance
 * counts on its own (rate-limiter-flexible's insurance limiter) rather than letting everything through.
 * REST routes spend through `ThrottleGuard`; other transports (socket actions) call `consume` with
 * the same key, so both draw on one budget.
 */
@Injectable()
export class RateLimitsService implements OnApplicationShutdown {
  private readonly redis: Redis | null;
  private readonly limiters: Record<RateLimitName, Consumer>;
  private readonly connections = new Map<string, number>();
  /** A websocket's client frames: local by nature (a connection lives on one instance). */
  private readonly frames: BurstyRateLimiter | RateLimiterMemory;
  private connected: Promise<void> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redis = config.redisUrl
      ? // Connected on first use, so that a process that limits nothing (the CLI) never connects.
        new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
      : null;
    // Failures are handled per call (the insurance limiter takes over); nothing to log per attempt.
    this.redis?.on('error', () => undefined);
    const limits = config.rateLimits;
    const frames = new RateLimiterMemory({ points: limits.framesPerSecond, duration: 1, keyPrefix: 'frames' });
    this.frames =
      limits.framesBurst > limits.framesPerSecond
        ? new BurstyRateLimiter(
            frames,
            new RateLimiterMemory({
              points: limits.framesBurst - limits.framesPerSecond,
              duration: MESSAGE_BURST_WINDOW_SECONDS,
              keyPrefix: 'frames-burst',
            }),
          )
        : frames;
    const messages = this.limiter('messages', { points: limits.messagesPerSecond, duration: 1 });
    this.limiters = {
      messages:
        limits.messagesBurst > limits.messagesPerSecond
          ? new BurstyRateLimiter(
              messages,
              this.limiter('messages-burst', {
                points: limits.messagesBurst - limits.messagesPerSecond,
                duration: MESSAGE_BURST_WINDOW_SECONDS,
              }),
            )
          : messages,
      uploads: this.limiter('uploads', { points: limits.uploadsPerWindow, duration: limits.uploadWindowSeconds }),
      registrations: this.limiter('registrations', {
        points: limits.registrationsPerWindow,
        duration: limits.registrationWindowSeconds,
      }),
    };
  }

  /** Spends one unit of `key`'s budget; over it, throws `throttled` with the seconds to wait. */
  async consume(limit: RateLimitName, key: string): Promise<void> {
    // The first calls wait for the connection rather than being counted on this instance only.
    await (this.connected ??= this.redis?.connect().catch(() => undefined));
    try {
      await this.limiters[limit].consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const retryAfter = Math.max(Math.ceil(error.msBeforeNext / 1000), 1);
        throw throttled(`${MESSAGES_OVER_LIMIT[limit]}; try again in ${retryAfter} s`, retryAfter);
      }
      throw error;
    }
  }

  /** Spends one of a websocket connection's client frames; false when it is over its budget (a flood). */
  async frameReceived(connectionId: string): Promise<boolean> {
    try {
      await this.frames.consume(connectionId);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        return false;
      }
      throw error;
    }
  }

  /**
   * Counts a websocket connection of the user on this instance; false (and not counted) when the user
   * already has as many as allowed here. The limit across instances is kept by the presence store; this
   * one also holds while Redis is away. Every true must be matched by one `connectionClosed`.
   */
  connectionOpened(userId: string): boolean {
    const count = this.connections.get(userId) ?? 0;
    if (count >= this.config.rateLimits.connectionsPerUser) {
      return false;
    }
    this.connections.set(userId, count + 1);
    return true;
  }

  connectionClosed(userId: string): void {
    const count = (this.connections.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.connections.set(userId, count);
    } else {
      this.connections.delete(userId);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis?.status === 'ready') {
      await this.redis.quit().catch(() => undefined);
    } else {
      this.redis?.disconnect();
    }
  }

  private limiter(name: string, options: IRateLimiterOptions): RateLimiterAbstract {
    const keyPrefix = `${this.config.redisPrefix}:limit:${name}`;
    const local = new RateLimiterMemory({ ...options, keyPrefix });
    return this.redis
      ? new RateLimiterRedis({ ...options, keyPrefix, storeClient: this.redis, insuranceLimiter: local })
      : local;
  }
}
