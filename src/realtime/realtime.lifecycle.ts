import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ChatEventsPublisher } from './chat-events.publisher';
import { EventBus } from './event-bus';
import { PresenceService } from './presence.service';

/** Connects the bus and the presence store before the app listens, and disconnects them last. */
@Injectable()
export class RealtimeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly bus: EventBus,
    private readonly presence: PresenceService,
    private readonly publisher: ChatEventsPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.start();
    await this.presence.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.drain();
    await this.bus.stop();
  }
}
