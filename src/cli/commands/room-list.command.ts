import { Command, CommandRunner, Option } from 'nest-commander';
import { RoomsService } from '../../rooms/rooms.service';
import { CliDatabase } from '../cli-database.service';
import { printJson, printTable } from '../cli-output';

@Command({ name: 'room:list', description: 'List all rooms, newest activity first' })
export class RoomListCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly rooms: RoomsService,
  ) {
    super();
  }

  async run(_: string[], options: { json?: boolean }): Promise<void> {
    await this.database.open();
    const rooms = await this.rooms.listSummaries();
    if (options.json) {
      printJson(rooms);
      return;
    }
    printTable(
      ['ID', 'VISIBILITY', 'MEMBERS', 'MESSAGES', 'LAST ACTIVITY', 'CREATOR', 'TITLE'],
      rooms.map((room) => [
        room.id,
        room.is_public ? 'public' : 'private',
        room.members,
        room.message_total_count,
        room.last_activity_at,
        room.creator_username,
        room.title,
      ]),
    );
  }

  @Option({ flags: '--json', description: 'print a JSON array' })
  parseJson(): boolean {
    return true;
  }
}
