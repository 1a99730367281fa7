import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ChatEvent, parseChatEvent } from './chat-events';

export type ChatEventHandler = (event: ChatEvent) => void;

/** Carries events to every instance of the app, this one included. */
export abstract class EventBus {
  protected handler: ChatEventHandler = () => undefined;

  onEvent(handler: ChatEventHandler): void {
    this.handler = handler;
  }

  abstract publish(event: ChatEvent): Promise<void>;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
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
}

/** Several instances: events go through Redis pub/sub, each instance hears every event. */
export class RedisEventBus extends EventBus {
  private readonly logger = new Logger('RedisEventBus');
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(url: string, prefix: string) {
    super();
    this.channel = `${prefix}:events`;
    const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
  }

  async start(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        this.handler(parseChatEvent(message));
      } catch (error) {
        this.logger.error(`bad event: ${String(error)}`);
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async publish(event: ChatEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }
}
