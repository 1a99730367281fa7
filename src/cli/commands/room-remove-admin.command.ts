import { Command, CommandRunner } from 'nest-commander';
import { AppError } from '../../common/errors/app-error';
import { RoomsService } from '../../rooms/rooms.service';
import { CommandFailed } from '../cli-errors';
import { print } from '../cli-output';
import { CliRooms } from '../cli-rooms.service';

@Command({
  name: 'room:remove-admin',
  arguments: '<room-id> <username>',
  description: 'Take a user off the admins of a room (they stay a member; the creator stays an admin)',
})
export class RoomRemoveAdminCommand extends CommandRunner {
  constructor(
    private readonly rooms: CliRooms,
    private readonly roomsService: RoomsService,
  ) {
    super();
  }

  async run([roomId, username]: string[]): Promise<void> {
    const { room, user } = await this.rooms.requireWithUser(roomId, username);
    let removed: boolean;
    try {
      removed = await this.roomsService.removeAdmin(room.id, user.id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'permission_denied') {
        throw new CommandFailed(`${user.username} created "${room.title}" and stays one of its admins`);
      }
      throw error;
    }
    if (!removed) {
      throw new CommandFailed(`${user.username} is not an admin of "${room.title}"`);
    }
    print(`${user.username} is no longer an admin of "${room.title}" (still a member)`);
  }
}
