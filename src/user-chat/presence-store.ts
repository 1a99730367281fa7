import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** Counts websocket connections per user, across every instance that shares the store. */
export abstract class PresenceStore {
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  /** Adds one connection of this instance; returns the user's count on this instance. */
  abstract increment(userId: string): Promise<number>;
  abstract decrement(userId: string): Promise<number>;
  /** Connections of each user on all live instances. */
  abstract globalCounts(userIds: string[]): Promise<Map<string, number>>;
  /** Forgets instances that stopped without saying so; returns the users they had connected. */
  abstract sweepDeadInstances(): Promise<string[]>;
}

export class InMemoryPresenceStore extends PresenceStore {
  private readonly counts = new Map<string, number>();

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.counts.clear();
    return Promise.resolve();
  }

  increment(userId: string): Promise<number> {
    const count = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, count);
    return Promise.resolve(count);
  }

  decrement(userId: string): Promise<number> {
    const count = Math.max((this.counts.get(userId) ?? 0) - 1, 0);
    if (count === 0) {
      this.counts.delete(userId);
    } else {
      this.counts.set(userId, count);
    }
    return Promise.resolve(count);
  }

  globalCounts(userIds: string[]): Promise<Map<string, number>> {
    return Promise.resolve(new Map(userIds.map((userId) => [userId, this.counts.get(userId) ?? 0])));
  }

  sweepDeadInstances(): Promise<string[]> {
    return Promise.resolve([]);
  }
}

/**
 * Each instance keeps its users' connection counts in a hash of its own and proves it is alive with
 * a key that expires unless refreshed. A crashed instance's key expires, and the next sweep by any
 * instance removes its counts, so its users do not stay online forever.
 */
export class RedisPresenceStore extends PresenceStore {
  readonly instanceId = randomUUID();
  private readonly redis: Redis;
  private heartbeat: NodeJS.Timeout | undefined;

  private readonly instancesKey: string;
  private readonly countsKey: (instanceId: string) => string;
  private readonly aliveKey: (instanceId: string) => string;

  constructor(
    url: string,
    prefix: string,
    private readonly aliveTtlSeconds = 15,
  ) {
    super();
    this.instancesKey = `${prefix}:presence:instances`;
    this.countsKey = (instanceId) => `${prefix}:presence:counts:${instanceId}`;
    this.aliveKey = (instanceId) => `${prefix}:presence:alive:${instanceId}`;
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.redis.connect();
    await this.beat();
    await this.redis.sadd(this.instancesKey, this.instanceId);
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), (this.aliveTtlSeconds * 1000) / 3);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis
      .multi()
      .del(this.countsKey(this.instanceId), this.aliveKey(this.instanceId))
      .srem(this.instancesKey, this.instanceId)
      .exec()
      .catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }

  increment(userId: string): Promise<number> {
    return this.redis.hincrby(this.countsKey(this.instanceId), userId, 1);
  }

  async decrement(userId: string): Promise<number> {
    const count = await this.redis.hincrby(this.countsKey(this.instanceId), userId, -1);
    if (count <= 0) {
      await this.redis.hdel(this.countsKey(this.instanceId), userId);
    }
    return Math.max(count, 0);
  }

  async globalCounts(userIds: string[]): Promise<Map<string, number>> {
    const totals = new Map(userIds.map((userId) => [userId, 0]));
    if (userIds.length === 0) {
      return totals;
    }
    const instances = await this.liveInstances();
    const pipeline = this.redis.pipeline();
    for (const instanceId of instances) {
      pipeline.hmget(this.countsKey(instanceId), ...userIds);
    }
    for (const [error, counts] of (await pipeline.exec()) ?? []) {
      if (error) {
        throw error;
      }
      (counts as (string | null)[]).forEach((count, index) => {
        totals.set(userIds[index], totals.get(userIds[index])! + Math.max(Number(count ?? 0), 0));
      });
    }
    return totals;
  }

  async sweepDeadInstances(): Promise<string[]> {
    const instances = await this.redis.smembers(this.instancesKey);
    const users = new Set<string>();
    for (const instanceId of instances) {
      if (instanceId === this.instanceId || (await this.redis.exists(this.aliveKey(instanceId)))) {
        continue;
      }
      for (const userId of await this.redis.hkeys(this.countsKey(instanceId))) {
        users.add(userId);
      }
      await this.redis.multi().del(this.countsKey(instanceId)).srem(this.instancesKey, instanceId).exec();
    }
    return [...users];
  }

  private async liveInstances(): Promise<string[]> {
    const instances = await this.redis.smembers(this.instancesKey);
    if (instances.length === 0) {
      return [];
    }
    const alive = await this.redis.mget(...instances.map(this.aliveKey));
    return instances.filter((_, index) => alive[index] !== null);
  }

  private async beat(): Promise<void> {
    await this.redis.set(this.aliveKey(this.instanceId), '1', 'EX', this.aliveTtlSeconds);
  }
}
