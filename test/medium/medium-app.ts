import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RoomAccessService } from '../../src/access/room-access.service';
import type { AuthUser } from '../../src/auth/auth-user';
import { loadConfig } from '../../src/common/config/config';
import { ConfigModule } from '../../src/common/config/config.module';
import { migratedDatabaseModule } from '../../src/common/database/database.module';
import { LimitsModule } from '../../src/common/limits/limits.module';
import { StorageModule } from '../../src/common/storage/storage.module';
import { ImagesModule } from '../../src/images/images.module';
import { MessagesModule } from '../../src/messages/messages.module';
import { MessagesService } from '../../src/messages/messages.service';
import { ChatEventsPublisher } from '../../src/realtime/chat-events.publisher';
import { RealtimeEventsModule } from '../../src/realtime/realtime-events.module';
import { RoomUsersModule } from '../../src/room-users/room-users.module';
import { RoomUsersService } from '../../src/room-users/room-users.service';
import { RoomsModule } from '../../src/rooms/rooms.module';
import { RoomsService } from '../../src/rooms/rooms.service';
import { UsersModule } from '../../src/users/users.module';
import { UsersService } from '../../src/users/users.service';
import { AccessModule } from '../../src/access/access.module';
import { createTestDatabase, TestDatabase, usingPostgres } from '../helpers/database';
import type { ChangeEntry, ChatChange } from '../../src/realtime/chat-changes';

/**
 * The feature services wired as the app wires them, on a database of their own (PostgreSQL when
 * DATABASE_URL is set, else embedded), without HTTP: for rules that are awkward to reach over HTTP.
 */
export interface MediumApp {
  context: INestApplicationContext;
  dataSource: DataSource;
  users: UsersService;
  rooms: RoomsService;
  roomUsers: RoomUsersService;
  messages: MessagesService;
  access: RoomAccessService;
  /** Every change the entity subscriber has handed over since the last `takeChanges()`. */
  takeChanges(): ChatChange[];
  newUser(name?: string): Promise<AuthUser>;
  close(): Promise<void>;
}

let counter = 0;

export async function startMediumApp(): Promise<MediumApp> {
  const database: TestDatabase | undefined = usingPostgres() ? await createTestDatabase() : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'dfchat-medium-'));
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: database?.url },
    join(dataDir, '.env'),
  );

  @Module({
    imports: [
      ConfigModule.forRoot(config),
      migratedDatabaseModule(config),
      StorageModule,
      LimitsModule,
      AccessModule,
      UsersModule,
      RoomUsersModule,
      MessagesModule,
      ImagesModule,
      RoomsModule,
      RealtimeEventsModule,
    ],
  })
  class MediumModule {}

  const context = await NestFactory.createApplicationContext(MediumModule, { logger: false, abortOnError: false });
  await context.init();
  const changes: ChatChange[] = [];
  const publisher = context.get(ChatEventsPublisher);
  const publishLater = publisher.publishLater.bind(publisher);
  publisher.publishLater = (batch: ChatChange[], entries: ChangeEntry[]) => {
    changes.push(...batch);
    publishLater(batch, entries);
  };
  const users = context.get(UsersService);
  return {
    context,
    dataSource: context.get(DataSource),
    users,
    rooms: context.get(RoomsService),
    roomUsers: context.get(RoomUsersService),
    messages: context.get(MessagesService),
    access: context.get(RoomAccessService),
    takeChanges: () => changes.splice(0, changes.length),
    async newUser(name = `medium${++counter}`) {
      const user = await users.create({ username: `${name}_${Date.now().toString(36)}`, password: 'a long password' });
      return { id: user.id, username: user.username, firstName: '', email: '', isAdmin: false };
    },
    async close() {
      await context.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
