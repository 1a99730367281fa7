import { Module } from '@nestjs/common';
import { RoomAccessService } from './room-access.service';

@Module({ providers: [RoomAccessService], exports: [RoomAccessService] })
export class AccessModule {}
