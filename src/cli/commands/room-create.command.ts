import { Command, CommandRunner, Option } from 'nest-commander';
import { toAuthUser } from '../../auth/auth.service';
import { CreateRoomDto } from '../../rooms/dto/room.dto';
import { RoomsService } from '../../rooms/rooms.service';
import { CliDatabase } from '../cli-database.service';
import { UsageError } from '../cli-errors';
import { commaList, validated } from '../cli-input';
import { print, printJson } from '../cli-output';
import { CliUsers } from '../cli-users.service';

interface RoomCreateOptions {
  owner: string;
  private?: boolean;
  users?: string[];
  description?: string;
  json?: boolean;
}

@Command({
  name: 'room:create',
  arguments: '<title>',
  description: 'Create a room as its owner would: they become its creator, admin and member',
})
export class RoomCreateCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly users: CliUsers,
    private readonly rooms: RoomsService,
  ) {
    super();
  }

  async run([title]: string[], options: RoomCreateOptions): Promise<void> {
    const fields = { title, description: options.description, is_public: !options.private };
    await validated(CreateRoomDto, fields);
    await this.database.open();
    const owner = await this.users.require(options.owner);
    const members = await this.users.requireAll(options.users ?? []);
    const dto = await validated(CreateRoomDto, { ...fields, users: members.map((user) => user.id) });
    const room = await this.rooms.create(toAuthUser(owner), dto);
    if (options.json) {
      printJson(room);
      return;
    }
    print(
      `Created ${room.is_public ? 'public' : 'private'} room "${room.title}" (id ${room.id}) ` +
        `with ${room.users.length} member(s)`,
    );
  }

  @Option({ flags: '--owner <username>', description: 'the user who creates and administers the room', required: true })
  parseOwner(value: string): string {
    return value;
  }

  @Option({ flags: '--private', description: 'only members can see the room (default: public)' })
  parsePrivate(): boolean {
    return true;
  }

  @Option({ flags: '--users <usernames>', description: 'comma-separated usernames to add as members' })
  parseUsers(value: string): string[] {
    const usernames = commaList(value);
    if (usernames.length === 0) {
      throw new UsageError('--users needs at least one username');
    }
    return usernames;
  }

  @Option({ flags: '--description <text>', description: "the room's description" })
  parseDescription(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the room as the API shows it to its owner' })
  parseJson(): boolean {
    return true;
  }
}
