import { Command, CommandRunner } from 'nest-commander';
import { RoomsService } from '../../rooms/rooms.service';
import { print } from '../cli-output';
import { CliRooms } from '../cli-rooms.service';

@Command({
  name: 'room:add-admin',
  arguments: '<room-id> <username>',
  description: 'Make a user one of the admins of a room (and an active member, if not yet)',
})
export class RoomAddAdminCommand extends CommandRunner {
  constructor(
    private readonly rooms: CliRooms,
    private readonly roomsService: RoomsService,
  ) {
    super();
  }

  async run([roomId, username]: string[]): Promise<void> {
    const { room, user } = await this.rooms.requireWithUser(roomId, username);
    const added = await this.roomsService.addAdmin(room.id, user.id);
    print(`${user.username} ${added ? 'is' : 'already was'} an admin of "${room.title}"`);
  }
}
