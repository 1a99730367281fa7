import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { InMemoryPresenceStore, PresenceStore, RedisPresenceStore } from './presence-store';
import { MessagesModule } from '../messages/messages.module';
import { PresenceService } from './presence.service';
import { UserChatController } from './user-chat.controller';
import { UserChatRepository } from './user-chat.repository';
import { UserChatService } from './user-chat.service';

/** A user's cross-room state: online, last seen, status line, and their unseen totals (`/me/`). */
@Module({
  imports: [MessagesModule],
  controllers: [UserChatController],
  providers: [UserChatRepository, UserChatService],
  exports: [UserChatService],
})
export class UserChatModule {}

/** Presence: online while a websocket of the user is open on any instance (the app, not the CLI). */
@Module({
  imports: [UserChatModule],
  providers: [
    {
      provide: PresenceStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new RedisPresenceStore(config.redisUrl, config.redisPrefix) : new InMemoryPresenceStore(),
    },
    PresenceService,
  ],
  exports: [PresenceService],
})
export class PresenceModule {}
