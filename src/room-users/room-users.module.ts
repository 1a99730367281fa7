import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { UsersModule } from '../users/users.module';
import { RoomUsersController } from './room-users.controller';
import { RoomUsersService } from './room-users.service';

@Module({
  imports: [AccessModule, UsersModule],
  controllers: [RoomUsersController],
  providers: [RoomUsersService],
  exports: [RoomUsersService],
})
export class RoomUsersModule {}
