import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { AppConfig } from '../common/config/config';
import { ConfigModule } from '../common/config/config.module';
import { buildDataSourceOptions } from '../common/database/data-source';
import { LimitsModule } from '../common/limits/limits.module';
import { StorageModule } from '../common/storage/storage.module';
import { ImagesModule } from '../images/images.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { RoomsModule } from '../rooms/rooms.module';
import { UserChatModule } from '../user-chat/user-chat.module';
import { RealtimeEventsModule } from '../realtime/realtime-events.module';
import { UsersModule } from '../users/users.module';
import { CliDatabase } from './cli-database.service';
import { CliRooms } from './cli-rooms.service';
import { CliSetup } from './cli-setup';
import { CliUsers } from './cli-users.service';
import { MediaMigrateCommand } from './commands/media-migrate.command';
import { MediaThumbnailsCommand } from './commands/media-thumbnails.command';
import { MigrateCommand } from './commands/migrate.command';
import { RoomAddAdminCommand } from './commands/room-add-admin.command';
import { RoomAddUserCommand } from './commands/room-add-user.command';
import { RoomCreateCommand } from './commands/room-create.command';
import { RoomListCommand } from './commands/room-list.command';
import { RoomRemoveAdminCommand } from './commands/room-remove-admin.command';
import { RoomRemoveUserCommand } from './commands/room-remove-user.command';
import { SeedCommand } from './commands/seed.command';
import { StatsCommand } from './commands/stats.command';
import { UserCreateCommand } from './commands/user-create.command';
import { UserListCommand } from './commands/user-list.command';
import { UserSetPasswordCommand } from './commands/user-set-password.command';
import { UserTokenCommand } from './commands/user-token.command';
import { BulkSeeder } from './seed/bulk-seed.service';
import { BulkWriter } from './seed/bulk-writer';
import { DemoSeeder } from './seed/demo-seed.service';

const COMMANDS = [
  MigrateCommand,
  SeedCommand,
  UserCreateCommand,
  UserListCommand,
  UserTokenCommand,
  UserSetPasswordCommand,
  RoomCreateCommand,
  RoomListCommand,
  RoomAddUserCommand,
  RoomRemoveUserCommand,
  RoomAddAdminCommand,
  RoomRemoveAdminCommand,
  StatsCommand,
  MediaMigrateCommand,
  MediaThumbnailsCommand,
];

/** The app's configuration, database and feature services, with commands instead of HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          // Connected by the commands that need it (CliDatabase), never just to print help.
          useFactory: () => ({ ...buildDataSourceOptions(config), manualInitialization: true }),
        }),
        StorageModule,
        // The controllers' guards need it, though the CLI limits nothing (it never connects to Redis).
        LimitsModule,
        AuthModule,
        UsersModule,
        RoomUsersModule,
        ImagesModule,
        MessagesModule,
        RoomsModule,
        UserChatModule,
        // With a shared Redis, what the CLI changes is pushed to the clients connected to every instance.
        ...(config.redisUrl ? [RealtimeEventsModule] : []),
      ],
      providers: [CliSetup, CliDatabase, CliUsers, CliRooms, DemoSeeder, BulkSeeder, BulkWriter, ...COMMANDS],
    };
  }
}
