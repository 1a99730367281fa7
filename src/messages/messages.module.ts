import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { MessageViewsRepository } from './message-views.repository';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

@Module({
  imports: [AccessModule, RoomUsersModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageViewsRepository],
  exports: [MessagesService],
})
export class MessagesModule {}
