import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { MessageImagesModule } from '../images/message-images.service';
import { MessagesModule } from '../messages/messages.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { UsersModule } from '../users/users.module';
import { RoomsController } from './rooms.controller';
import { RoomsRepository } from './rooms.repository';
import { RoomsService } from './rooms.service';

@Module({
  imports: [AccessModule, RoomUsersModule, MessagesModule, MessageImagesModule, UsersModule],
  controllers: [RoomsController],
  providers: [RoomsRepository, RoomsService],
  exports: [RoomsService],
})
export class RoomsModule {}
