import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { MessagesModule } from '../messages/messages.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { UsersModule } from '../users/users.module';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({
  imports: [AccessModule, RoomUsersModule, MessagesModule, UsersModule],
  controllers: [RoomsController],
  providers: [RoomsService],
  exports: [RoomsService],
})
export class RoomsModule {}
