import { Module } from '@nestjs/common';
import { RoomUsersModule } from '../room-users/room-users.module';
import { PresenceModule } from '../user-chat/user-chat.module';
import { ChatGateway } from './chat.gateway';
import { RealtimeEventsModule } from './realtime-events.module';
import { AsyncApiController } from './asyncapi/asyncapi.controller';

/** Websocket delivery, on top of the events. */
@Module({
  imports: [RealtimeEventsModule, RoomUsersModule, PresenceModule],
  controllers: [AsyncApiController],
  providers: [ChatGateway],
})
export class RealtimeModule {}
