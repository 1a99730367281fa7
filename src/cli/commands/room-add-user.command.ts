import { Command, CommandRunner } from 'nest-commander';
import { RoomUsersService } from '../../room-users/room-users.service';
import { print } from '../cli-output';
import { CliRooms } from '../cli-rooms.service';

@Command({
  name: 'room:add-user',
  arguments: '<room-id> <username>',
  description: 'Make a user an active member of a room (as a room admin would)',
})
export class RoomAddUserCommand extends CommandRunner {
  constructor(
    private readonly rooms: CliRooms,
    private readonly roomUsers: RoomUsersService,
  ) {
    super();
  }

  async run([roomId, username]: string[]): Promise<void> {
    const { room, user } = await this.rooms.requireWithUser(roomId, username);
    const roomUser = await this.roomUsers.addMember(room.id, user.id);
    print(`${user.username} is a member of "${room.title}" (room user id ${roomUser.id})`);
  }
}
