import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { RoomUsersModule } from '../room-users/room-users.module';
import { UserChatModule } from '../user-chat/user-chat.module';
import { ChatGateway } from './chat.gateway';
import { InMemoryPresenceStore, PresenceStore, RedisPresenceStore } from './presence-store';
import { PresenceService } from './presence.service';
import { RealtimeEventsModule } from './realtime-events.module';

/** Websocket delivery and presence, on top of the events. */
@Module({
  imports: [RealtimeEventsModule, RoomUsersModule, UserChatModule],
  providers: [
    {
      provide: PresenceStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new RedisPresenceStore(config.redisUrl, config.redisPrefix) : new InMemoryPresenceStore(),
    },
    PresenceService,
    ChatGateway,
  ],
  exports: [PresenceService],
})
export class RealtimeModule {}
