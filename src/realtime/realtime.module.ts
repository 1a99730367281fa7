import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { LimitsModule } from '../common/limits/limits.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { RoomsModule } from '../rooms/rooms.module';
import { PresenceModule } from '../user-chat/user-chat.module';
import { ChatGateway } from './chat.gateway';
import { ChangeLogPruner } from './change-log.pruner';
import { RealtimeEventsModule } from './realtime-events.module';
import { RoomChangesController } from './room-changes.controller';
import { RoomChangesService } from './room-changes.service';
import { SocketActions } from './socket-actions';
import { AsyncApiController } from './asyncapi/asyncapi.controller';

/** Websocket delivery and client actions, and the change log's replay over REST, on top of the events. */
@Module({
  imports: [
    RealtimeEventsModule,
    AccessModule,
    LimitsModule,
    MessagesModule,
    RoomUsersModule,
    RoomsModule,
    PresenceModule,
  ],
  controllers: [RoomChangesController, AsyncApiController],
  providers: [ChatGateway, SocketActions, RoomChangesService, ChangeLogPruner],
})
export class RealtimeModule {}
