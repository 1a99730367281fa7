import { Module } from '@nestjs/common';
import { AccessRepository } from './access.repository';
import { RoomAccessService } from './room-access.service';

@Module({ providers: [AccessRepository, RoomAccessService], exports: [RoomAccessService] })
export class AccessModule {}
