import { Injectable } from '@nestjs/common';
import { isId } from '../common/validation/decorators';
import { RoomSummaryDto } from '../rooms/dto/room.dto';
import { RoomsService } from '../rooms/rooms.service';
import type { User } from '../users/user.entity';
import { CliDatabase } from './cli-database.service';
import { CommandFailed, UsageError } from './cli-errors';
import { CliUsers } from './cli-users.service';

/** Commands name rooms by id, as `room:list` prints them. */
@Injectable()
export class CliRooms {
  constructor(
    private readonly rooms: RoomsService,
    private readonly database: CliDatabase,
    private readonly users: CliUsers,
  ) {}

  /**
   * What a `room:<verb>-<who> <room-id> <username>` command starts with: the id checked before the
   * database is opened, then the room and the user it names.
   */
  async requireWithUser(roomId: string, username: string): Promise<{ room: RoomSummaryDto; user: User }> {
    const candidate: unknown = roomId;
    if (!isId(candidate)) {
      throw new UsageError(`"${roomId}" is not a room id (see room:list)`);
    }
    await this.database.open();
    const room = await this.rooms.findSummary(roomId);
    if (!room) {
      throw new CommandFailed(`no room with id ${roomId}`);
    }
    return { room, user: await this.users.require(username) };
  }
}
