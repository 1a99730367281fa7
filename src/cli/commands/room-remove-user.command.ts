import { Command, CommandRunner } from 'nest-commander';
import { RoomUsersService } from '../../room-users/room-users.service';
import { AppError } from '../../common/errors/app-error';
import { CommandFailed } from '../cli-errors';
import { print } from '../cli-output';
import { CliRooms } from '../cli-rooms.service';

@Command({
  name: 'room:remove-user',
  arguments: '<room-id> <username>',
  description: 'Remove a member from a room (their old messages keep their author)',
})
export class RoomRemoveUserCommand extends CommandRunner {
  constructor(
    private readonly rooms: CliRooms,
    private readonly roomUsers: RoomUsersService,
  ) {
    super();
  }

  async run([roomId, username]: string[]): Promise<void> {
    const { room, user } = await this.rooms.requireWithUser(roomId, username);
    try {
      await this.roomUsers.removeMember(room.id, user.id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') {
        throw new CommandFailed(`${user.username} was never a member of "${room.title}"`);
      }
      throw error;
    }
    print(`${user.username} is no longer a member of "${room.title}"`);
  }
}
