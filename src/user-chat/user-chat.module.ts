import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { InMemoryPresenceStore, PresenceStore, RedisPresenceStore } from './presence-store';
import { PresenceService } from './presence.service';
import { UserChatRepository } from './user-chat.repository';
import { UserChatService } from './user-chat.service';

/** A user's cross-room state: their online flag. */
@Module({
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
