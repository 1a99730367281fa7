import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './common/config/config';
import { ConfigModule } from './common/config/config.module';
import { buildDataSourceOptions, runMigrations } from './common/database/data-source';
import { EmbeddedDatabaseUnusableError } from './common/database/embedded-lock';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { HealthController } from './common/health/health.controller';
import { UsersModule } from './users/users.module';
import { StorageModule } from './common/storage/storage.module';
import { RoomUsersModule } from './room-users/room-users.module';
import { MessagesModule } from './messages/messages.module';
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
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions(config),
            // Waiting does not help when, say, another process holds the embedded database.
            toRetry: (error: unknown) => !(error instanceof EmbeddedDatabaseUnusableError),
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
        StorageModule,
        AuthModule,
        UsersModule,
        RoomUsersModule,
        MessagesModule,
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
