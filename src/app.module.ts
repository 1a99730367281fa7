import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './common/config/config';
import { ConfigModule } from './common/config/config.module';
import { migratedDatabaseModule } from './common/database/database.module';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { HealthController } from './common/health/health.controller';
import { LimitsModule } from './common/limits/limits.module';
import { UsersModule } from './users/users.module';
import { StorageModule } from './common/storage/storage.module';
import { RoomUsersModule } from './room-users/room-users.module';
import { MessagesModule } from './messages/messages.module';
import { MessageSearchModule } from './messages/message-search.module';
import { RoomsModule } from './rooms/rooms.module';
import { PagesModule } from './pages/pages.module';
import { RealtimeModule } from './realtime/realtime.module';
import { UserChatModule } from './user-chat/user-chat.module';
import { ImagesModule } from './images/images.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The request logger itself runs first of all (createApp); this gives each request's handlers its id.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }),
        migratedDatabaseModule(config),
        StorageModule,
        LimitsModule,
        AuthModule,
        UsersModule,
        RoomUsersModule,
        MessagesModule,
        MessageSearchModule,
        RoomsModule,
        PagesModule,
        UserChatModule,
        RealtimeModule,
        ImagesModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
