import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, AppConfig } from '../../common/config/config';
import { MIN_PASSWORD_LENGTH } from '../../users/dto/user.dto';
import { CliDatabase } from '../cli-database.service';
import { UsageError } from '../cli-errors';
import { wholeNumber } from '../cli-input';
import { print, printTable } from '../cli-output';
import { BulkSeeder } from '../seed/bulk-seed.service';
import { DemoSeeder } from '../seed/demo-seed.service';

interface SeedOptions {
  users?: number;
  rooms?: number;
  messages?: number;
  members?: number;
  password?: string;
}

const DEFAULT_MEMBERS_PER_ROOM = 20;
const DEFAULT_BULK_PASSWORD = 'bulk-password';

@Command({
  name: 'seed',
  description:
    'Add demo users and rooms with conversations (again: adds nothing), or with --users/--rooms/--messages bulk data',
})
export class SeedCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly demo: DemoSeeder,
    private readonly bulk: BulkSeeder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_: string[], options: SeedOptions): Promise<void> {
    const bulk = options.users !== undefined || options.rooms !== undefined || options.messages !== undefined;
    if (!bulk) {
      if (options.members !== undefined || options.password !== undefined) {
        throw new UsageError('--members and --password go with --users, --rooms or --messages');
      }
      await this.seedDemo();
      return;
    }
    const users = options.users ?? 0;
    const rooms = options.rooms ?? 0;
    const messages = options.messages ?? 0;
    if (messages > 0 && rooms === 0) {
      throw new UsageError('--messages needs rooms to post in: add --rooms');
    }
    if (rooms > 0 && users === 0) {
      throw new UsageError('--rooms needs users to own and join them: add --users');
    }
    const password = options.password ?? DEFAULT_BULK_PASSWORD;
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new UsageError(`password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
    }
    await this.database.open();
    const report = await this.bulk.seed({
      users,
      rooms,
      messages,
      membersPerRoom: options.members ?? DEFAULT_MEMBERS_PER_ROOM,
      password,
    });
    print(
      `Added ${report.users} users, ${report.rooms} rooms and ${report.messages} messages in ${report.seconds.toFixed(1)} s.`,
    );
    if (report.users > 0) {
      print(
        `Users are bulk_${report.tag}_1 to bulk_${report.tag}_${report.users}, all with the password "${password}"`,
      );
      print(`(hashed once, shared by all: ${report.passwordHash})`);
    }
    if (report.rooms > 0) {
      print(`Rooms are titled "Bulk ${report.tag} room 1" to "Bulk ${report.tag} room ${report.rooms}".`);
    }
  }

  private async seedDemo(): Promise<void> {
    await this.database.open();
    const report = await this.demo.seed();
    print('Demo users:');
    printTable(
      ['USERNAME', 'PASSWORD', 'ROLE', 'STATUS'],
      report.users.map((user) => [
        user.username,
        user.created ? user.password : `${user.password} (if unchanged)`,
        user.isAdmin ? 'site admin' : 'user',
        user.created ? 'created' : 'already there',
      ]),
    );
    print('');
    print('Demo rooms:');
    printTable(
      ['ID', 'VISIBILITY', 'STATUS', 'TITLE'],
      report.rooms.map((room) => [
        room.id,
        room.isPublic ? 'public' : 'private',
        room.created ? 'created' : 'already there',
        room.title,
      ]),
    );
    const base = this.config.publicUrl || `http://${this.config.host}:${this.config.port}`;
    print('');
    print(`Next: TOKEN=$(npm run --silent cli -- user:token alice)`);
    print(`      then open ${base}/chat/${report.rooms[0].id}/?token=$TOKEN`);
  }

  @Option({ flags: '--users <n>', description: 'bulk: add n users' })
  parseUsers(value: string): number {
    return wholeNumber('--users')(value);
  }

  @Option({ flags: '--rooms <n>', description: 'bulk: add n rooms (one in four private)' })
  parseRooms(value: string): number {
    return wholeNumber('--rooms')(value);
  }

  @Option({ flags: '--messages <n>', description: 'bulk: add n messages to those rooms (one in ten a reply)' })
  parseMessages(value: string): number {
    return wholeNumber('--messages')(value);
  }

  @Option({ flags: '--members <n>', description: `bulk: members per room (default ${DEFAULT_MEMBERS_PER_ROOM})` })
  parseMembers(value: string): number {
    return wholeNumber('--members', 100_000)(value);
  }

  @Option({
    flags: '--password <password>',
    description: `bulk: the users' password (default ${DEFAULT_BULK_PASSWORD})`,
  })
  parsePassword(value: string): string {
    return value;
  }
}
