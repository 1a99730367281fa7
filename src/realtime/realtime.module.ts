import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { MessagesModule } from '../messages/messages.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { UserChatModule } from '../user-chat/user-chat.module';
import { ChangeCaptureSubscriber } from './change-capture.subscriber';
import { ChatEventsPublisher } from './chat-events.publisher';
import { ChatGateway } from './chat.gateway';
import { EventBus, InProcessEventBus, RedisEventBus } from './event-bus';
import { InMemoryPresenceStore, PresenceStore, RedisPresenceStore } from './presence-store';
import { PresenceService } from './presence.service';
import { RealtimeLifecycle } from './realtime.lifecycle';

@Module({
  imports: [MessagesModule, RoomUsersModule, UserChatModule],
  providers: [
    {
      provide: EventBus,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new RedisEventBus(config.redisUrl) : new InProcessEventBus(),
    },
    {
      provide: PresenceStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new RedisPresenceStore(config.redisUrl) : new InMemoryPresenceStore(),
    },
    PresenceService,
    ChatEventsPublisher,
    ChangeCaptureSubscriber,
    ChatGateway,
    RealtimeLifecycle,
  ],
  exports: [PresenceService],
})
export class RealtimeModule {}
