import { Injectable } from '@nestjs/common';
import { isId } from '../common/validation/decorators';
import { RoomSummaryDto } from '../rooms/dto/room.dto';
import { RoomsService } from '../rooms/rooms.service';
import { CommandFailed, UsageError } from './cli-errors';

/** Commands name rooms by id, as `room:list` prints them. */
@Injectable()
export class CliRooms {
  constructor(private readonly rooms: RoomsService) {}

  static checkId(roomId: string): void {
    const candidate: unknown = roomId;
    if (!isId(candidate)) {
      throw new UsageError(`"${roomId}" is not a room id (see room:list)`);
    }
  }

  async require(roomId: string): Promise<RoomSummaryDto> {
    const room = await this.rooms.findSummary(roomId);
    if (!room) {
      throw new CommandFailed(`no room with id ${roomId}`);
    }
    return room;
  }
}
