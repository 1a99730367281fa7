import { Command, CommandRunner, Option } from 'nest-commander';
import { ImagesService } from '../../images/images.service';
import { MessagesService } from '../../messages/messages.service';
import { RoomsService } from '../../rooms/rooms.service';
import { UserChatService } from '../../user-chat/user-chat.service';
import { UsersService } from '../../users/users.service';
import { CliDatabase } from '../cli-database.service';
import { printJson, printTable } from '../cli-output';

@Command({ name: 'stats', description: 'Count users, rooms, messages, reactions, images and online users' })
export class StatsCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly users: UsersService,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly images: ImagesService,
    private readonly userChats: UserChatService,
  ) {
    super();
  }

  async run(_: string[], options: { json?: boolean }): Promise<void> {
    await this.database.open();
    const stats = {
      users: await this.users.count(),
      rooms: await this.rooms.count(),
      ...(await this.messages.totals()),
      images: await this.images.count(),
      online_users: await this.userChats.countOnline(),
    };
    if (options.json) {
      printJson(stats);
      return;
    }
    printTable(
      ['WHAT', 'COUNT'],
      Object.entries(stats).map(([what, count]) => [what.replace('_', ' '), count]),
    );
  }

  @Option({ flags: '--json', description: 'print a JSON object' })
  parseJson(): boolean {
    return true;
  }
}
