import { Command, CommandRunner, Option } from 'nest-commander';
import { mapUser, UserDto } from '../../users/dto/user.dto';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { CliDatabase } from '../cli-database.service';
import { printJson, printTable } from '../cli-output';

/** A user as the site admin sees it: the API's fields, and whether they are an admin. */
export const mapAdminUser = (user: User): UserDto & { is_admin: boolean; created: string } => ({
  ...mapUser(user),
  is_admin: user.isAdmin,
  created: user.created.toISOString(),
});

@Command({ name: 'user:list', description: 'List all users, by username' })
export class UserListCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly users: UsersService,
  ) {
    super();
  }

  async run(_: string[], options: { json?: boolean }): Promise<void> {
    await this.database.open();
    const users = (await this.users.list()).map(mapAdminUser);
    if (options.json) {
      printJson(users);
      return;
    }
    printTable(
      ['ID', 'USERNAME', 'FIRST NAME', 'EMAIL', 'ADMIN', 'CREATED'],
      users.map((user) => [
        user.id,
        user.username,
        user.first_name,
        user.email,
        user.is_admin ? 'yes' : 'no',
        user.created,
      ]),
    );
  }

  @Option({ flags: '--json', description: 'print a JSON array' })
  parseJson(): boolean {
    return true;
  }
}
