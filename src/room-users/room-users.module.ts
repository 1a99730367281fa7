import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { UsersModule } from '../users/users.module';
import { RoomUsersController } from './room-users.controller';
import { RoomUsersRepository } from './room-users.repository';
import { RoomUsersService } from './room-users.service';

@Module({
  imports: [AccessModule, UsersModule],
  controllers: [RoomUsersController],
  providers: [RoomUsersRepository, RoomUsersService],
  exports: [RoomUsersService],
})
export class RoomUsersModule {}
