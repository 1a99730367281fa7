import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** Counts websocket connections per user, across every instance that shares the store. */
export abstract class PresenceStore {
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  /**
   * Counts one connection of this instance when the user has fewer than `limit` on all live instances
   * together (checked and counted in one step, so racing connections cannot pass the limit); false
   * (and not counted) otherwise.
   */
  abstract admit(userId: string, limit: number): Promise<boolean>;
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

  admit(userId: string, limit: number): Promise<boolean> {
    const count = this.counts.get(userId) ?? 0;
    if (count >= limit) {
      return Promise.resolve(false);
    }
    this.counts.set(userId, count + 1);
    return Promise.resolve(true);
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
 * Sums a user's connections over the live instances (its own counted whether or not its alive key is
 * there) and counts one more on this instance when the sum is under the limit. KEYS: the instances
 * set, this instance's counts. ARGV: user id, limit, this instance's id, alive-key and counts-key
 * prefixes. Reads keys it is not given, so it needs a single Redis (not a cluster), as this store does.
 */
const ADMIT_SCRIPT = `
local total = math.max(tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0'), 0)
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[3] and redis.call('EXISTS', ARGV[4] .. id) == 1 then
    total = total + math.max(tonumber(redis.call('HGET', ARGV[5] .. id, ARGV[1]) or '0'), 0)
  end
end
if total >= tonumber(ARGV[2]) then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1
`;

type AdmittingRedis = Redis & {
  admitConnection(
    instancesKey: string,
    countsKey: string,
    userId: string,
    limit: number,
    instanceId: string,
    alivePrefix: string,
    countsPrefix: string,
  ): Promise<number>;
};

/**
 * Each instance keeps its users' connection counts in a hash of its own and proves it is alive with
 * a key that expires unless refreshed. A crashed instance's key expires, and the next sweep by any
 * instance removes its counts, so its users do not stay online forever (nor held at their
 * connection limit).
 */
export class RedisPresenceStore extends PresenceStore {
  readonly instanceId = randomUUID();
  private readonly redis: AdmittingRedis;
  private heartbeat: NodeJS.Timeout | undefined;

  private readonly instancesKey: string;
  private readonly countsPrefix: string;
  private readonly alivePrefix: string;

  constructor(
    url: string,
    prefix: string,
    private readonly aliveTtlSeconds = 15,
  ) {
    super();
    this.instancesKey = `${prefix}:presence:instances`;
    this.countsPrefix = `${prefix}:presence:counts:`;
    this.alivePrefix = `${prefix}:presence:alive:`;
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 }) as AdmittingRedis;
    this.redis.defineCommand('admitConnection', { numberOfKeys: 2, lua: ADMIT_SCRIPT });
    this.redis.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.redis.connect();
    await this.beat();
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

  async admit(userId: string, limit: number): Promise<boolean> {
    const counted = await this.redis.admitConnection(
      this.instancesKey,
      this.countsKey(this.instanceId),
      userId,
      limit,
      this.instanceId,
      this.alivePrefix,
      this.countsPrefix,
    );
    return counted === 1;
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
    const alive = await this.redis.mget(...instances.map((instanceId) => this.aliveKey(instanceId)));
    return instances.filter((_, index) => alive[index] !== null);
  }

  private countsKey(instanceId: string): string {
    return this.countsPrefix + instanceId;
  }

  private aliveKey(instanceId: string): string {
    return this.alivePrefix + instanceId;
  }

  /** Also rejoins the instances set, should a sweep have dropped this instance while Redis was away. */
  private async beat(): Promise<void> {
    await this.redis
      .multi()
      .set(this.aliveKey(this.instanceId), '1', 'EX', this.aliveTtlSeconds)
      .sadd(this.instancesKey, this.instanceId)
      .exec();
  }
}
