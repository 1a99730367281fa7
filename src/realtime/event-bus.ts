import { Logger } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { ChatEvent, parseChatEvent } from './chat-events';
import type { RegistryWatcher } from './connection-registry';

export type ChatEventHandler = (event: ChatEvent) => void;

/**
 * Carries events to the instances of the app that want them, this one included. An instance says which
 * rooms and users it wants as its connections come and go (`RegistryWatcher`); a bus may deliver more
 * than that (the receiving gateway ignores the rest), never less.
 */
export abstract class EventBus implements RegistryWatcher {
  protected handler: ChatEventHandler = () => undefined;

  onEvent(handler: ChatEventHandler): void {
    this.handler = handler;
  }

  abstract publish(event: ChatEvent): Promise<void>;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract roomWatched(roomId: string, watched: boolean): void;
  abstract userWatched(userId: string, watched: boolean): void;

  /** Resolves once the subscriptions asked for so far are in place (at most after `timeoutMs`). */
  settled(_timeoutMs: number): Promise<void> {
    return Promise.resolve();
  }
}

/** One instance: events go straight to its own gateway. */
export class InProcessEventBus extends EventBus {
  publish(event: ChatEvent): Promise<void> {
    this.handler(event);
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  roomWatched(): void {}

  userWatched(): void {}
}

/**
 * Several instances over Redis pub/sub, routed per room: an event of a room is published on that room's
 * channel, and each instance subscribes to the channels of the rooms its connected users are in, so an
 * instance hears only the rooms it serves. What concerns a user wherever they are connected (their seen
 * marks; being added to a room, before their instance knows the room) also goes to the user's channel.
 * An event missed while a subscription was being set up shows as a seq gap, filled from the change log.
 */
export class RedisEventBus extends EventBus {
  private readonly logger = new Logger('RedisEventBus');
  private readonly publisher: Redis | Cluster;
  private readonly subscriber: Redis | Cluster;
  private readonly prefix: string;
  /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7) on a cluster: each channel lives on the node of its slot. */
  private readonly sharded: boolean;
  /** Channels subscribed to (or being), and changes waiting to be sent in one command each. */
  private readonly subscribed = new Set<string>();
  private readonly toSubscribe = new Set<string>();
  private readonly toUnsubscribe = new Set<string>();
  private flushing = false;
  private started = false;
  /** Waiting for the subscriptions asked for so far. */
  private waiters: (() => void)[] = [];

  constructor(target: string | { host: string; port: number }[], prefix: string) {
    super();
    this.prefix = prefix;
    const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
    this.sharded = Array.isArray(target);
    if (Array.isArray(target)) {
      const cluster = () => new Cluster(target, { lazyConnect: true, shardedSubscribers: true, redisOptions: options });
      this.publisher = cluster();
      this.subscriber = cluster();
    } else {
      this.publisher = new Redis(target, options);
      this.subscriber = new Redis(target, options);
    }
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
  }

  async start(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, message: string) => {
      try {
        const event = parseChatEvent(message);
        this.logger.debug(`received ${event.type} on ${channel.slice(this.prefix.length + 1)}`);
        this.handler(event);
      } catch (error) {
        this.logger.error(`bad event: ${String(error)}`);
      }
    });
    this.started = true;
    this.flush();
  }

  async publish(event: ChatEvent): Promise<void> {
    const message = JSON.stringify(event);
    await Promise.all(
      this.channelsOf(event).map((channel) =>
        this.sharded ? this.publisher.spublish(channel, message) : this.publisher.publish(channel, message),
      ),
    );
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  roomWatched(roomId: string, watched: boolean): void {
    this.watch(this.roomChannel(roomId), watched);
  }

  override settled(timeoutMs: number): Promise<void> {
    if (!this.started || (!this.flushing && this.toSubscribe.size === 0)) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  userWatched(userId: string, watched: boolean): void {
    this.watch(this.userChannel(userId), watched);
  }

  /** Sharded: one command per channel, as the channels of one SSUBSCRIBE must share a slot. */
  private subscriptionChanges(subscribe: string[], unsubscribe: string[]): Promise<unknown>[] {
    if (this.sharded) {
      return [
        ...subscribe.map((channel) => this.subscriber.ssubscribe(channel)),
        ...unsubscribe.map((channel) => this.subscriber.sunsubscribe(channel)),
      ];
    }
    return [
      ...(subscribe.length > 0 ? [this.subscriber.subscribe(...subscribe)] : []),
      ...(unsubscribe.length > 0 ? [this.subscriber.unsubscribe(...unsubscribe)] : []),
    ];
  }

  private roomChannel(roomId: string): string {
    return `${this.prefix}:room:${roomId}`;
  }

  private userChannel(userId: string): string {
    return `${this.prefix}:user:${userId}`;
  }

  private channelsOf(event: ChatEvent): string[] {
    switch (event.type) {
      case 'seen':
        return [this.userChannel(event.userId)];
      case 'change': {
        // Members added or removed hear of it where they are connected, even before that instance knew the room.
        const users = event.roomUsers.flatMap((roomUser) => (roomUser.userId ? [roomUser.userId] : []));
        return [
          this.roomChannel(event.roomId),
          ...new Set([...users, ...event.lostAccess].map((id) => this.userChannel(id))),
        ];
      }
      case 'presence':
      case 'typing':
        return [this.roomChannel(event.roomId)];
    }
  }

  /** Subscription changes are batched into one SUBSCRIBE and one UNSUBSCRIBE at a time. */
  private watch(channel: string, watched: boolean): void {
    if (watched) {
      this.toUnsubscribe.delete(channel);
      if (!this.subscribed.has(channel)) {
        this.toSubscribe.add(channel);
      }
    } else {
      this.toSubscribe.delete(channel);
      if (this.subscribed.has(channel)) {
        this.toUnsubscribe.add(channel);
      }
    }
    this.flush();
  }

  private flush(): void {
    if (!this.started || this.flushing) {
      return;
    }
    if (this.toSubscribe.size === 0 && this.toUnsubscribe.size === 0) {
      for (const waiter of this.waiters.splice(0)) {
        waiter();
      }
      return;
    }
    this.flushing = true;
    setImmediate(() => {
      const subscribe = [...this.toSubscribe];
      const unsubscribe = [...this.toUnsubscribe];
      this.toSubscribe.clear();
      this.toUnsubscribe.clear();
      subscribe.forEach((channel) => this.subscribed.add(channel));
      unsubscribe.forEach((channel) => this.subscribed.delete(channel));
      void Promise.all(this.subscriptionChanges(subscribe, unsubscribe)).then(
        () => {
          this.flushing = false;
          this.flush();
        },
        (error: unknown) => {
          // Tried again shortly (Redis away for a moment): an instance must not stay deaf to a room.
          this.logger.warn(`redis subscriptions: ${String(error)}`);
          for (const channel of subscribe) {
            if (!this.toUnsubscribe.has(channel) && this.subscribed.delete(channel)) {
              this.toSubscribe.add(channel);
            }
          }
          for (const channel of unsubscribe) {
            if (!this.toSubscribe.has(channel)) {
              this.toUnsubscribe.add(channel);
              this.subscribed.add(channel);
            }
          }
          setTimeout(() => {
            this.flushing = false;
            this.flush();
          }, 1000).unref();
        },
      );
    });
  }
}
