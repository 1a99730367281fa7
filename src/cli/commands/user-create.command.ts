import { Command, CommandRunner, Option } from 'nest-commander';
import { RegisterUserDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { CliDatabase } from '../cli-database.service';
import { readPassword, validated } from '../cli-input';
import { print, printJson } from '../cli-output';
import { mapAdminUser } from './user-list.command';

interface UserCreateOptions {
  password?: string;
  firstName?: string;
  email?: string;
  admin?: boolean;
  json?: boolean;
}

@Command({
  name: 'user:create',
  arguments: '<username>',
  description: 'Create a user (password: --password, else asked, else the first line of stdin)',
})
export class UserCreateCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly users: UsersService,
  ) {
    super();
  }

  async run([username]: string[], options: UserCreateOptions): Promise<void> {
    const fields = { username, first_name: options.firstName, email: options.email };
    await validated(RegisterUserDto, fields, ['username', 'first_name', 'email']);
    const password = await readPassword(options.password);
    const input = await validated(RegisterUserDto, { ...fields, password });
    await this.database.open();
    const user = await this.users.create({
      username: input.username,
      password: input.password,
      firstName: input.first_name,
      email: input.email,
      isAdmin: options.admin ?? false,
    });
    if (options.json) {
      printJson(mapAdminUser(user));
      return;
    }
    print(`Created ${user.isAdmin ? 'site admin' : 'user'} ${user.username} (id ${user.id})`);
  }

  @Option({ flags: '--password <password>', description: 'the password (visible to local users in the process list)' })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '--first-name <name>', description: 'the display name' })
  parseFirstName(value: string): string {
    return value;
  }

  @Option({ flags: '--email <email>', description: 'the e-mail address' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--admin', description: 'make the user a site administrator' })
  parseAdmin(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print the user as JSON' })
  parseJson(): boolean {
    return true;
  }
}
