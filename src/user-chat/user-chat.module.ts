import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserChat } from './user-chat.entity';
import { UserChatService } from './user-chat.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserChat])],
  providers: [UserChatService],
  exports: [UserChatService],
})
export class UserChatModule {}
