import {
  BeforeApplicationShutdown,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { AccessModule } from '../access/access.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { UserChatModule } from '../user-chat/user-chat.module';
import { ChangeCaptureSubscriber } from './change-capture.subscriber';
import { ChangeEventsBuilder } from './change-events.builder';
import { ChangeLogRepository } from './change-log.repository';
import { ChatEventsPublisher } from './chat-events.publisher';
import { EventBus, InProcessEventBus, RedisEventBus } from './event-bus';
import { RoomSeqsService } from './room-seqs.service';

/** Connects the bus before work starts; publishes what is pending before the database closes. */
@Injectable()
export class EventBusLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly bus: EventBus,
    private readonly publisher: ChatEventsPublisher,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.bus.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.publisher.drain();
  }

  onApplicationShutdown(): Promise<void> {
    return this.bus.stop();
  }
}

/**
 * The producing half of realtime: committed changes become chat events on the bus. The app adds the
 * gateway that delivers them; the admin CLI uses this alone, so that its changes reach the connected
 * clients of every instance when they share a Redis.
 */
@Module({
  imports: [AccessModule, MessagesModule, RoomUsersModule, UserChatModule],
  providers: [
    {
      provide: EventBus,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redisCluster
          ? new RedisEventBus(config.redisCluster, config.redisPrefix)
          : config.redisUrl
            ? new RedisEventBus(config.redisUrl, config.redisPrefix)
            : new InProcessEventBus(),
    },
    ChangeLogRepository,
    ChangeEventsBuilder,
    ChatEventsPublisher,
    ChangeCaptureSubscriber,
    EventBusLifecycle,
    RoomSeqsService,
  ],
  exports: [EventBus, ChangeLogRepository, ChangeEventsBuilder, RoomSeqsService],
})
export class RealtimeEventsModule {}
