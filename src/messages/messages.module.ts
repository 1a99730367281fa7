import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { MessageImagesModule } from '../images/message-images.service';
import { RoomUsersModule } from '../room-users/room-users.module';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

@Module({
  imports: [AccessModule, RoomUsersModule, MessageImagesModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessagesRepository],
  // The repository is for the search module beside this one.
  exports: [MessagesService, MessagesRepository],
})
export class MessagesModule {}
