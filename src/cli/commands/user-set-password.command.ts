import { Command, CommandRunner, Option } from 'nest-commander';
import { RegisterUserDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { CliDatabase } from '../cli-database.service';
import { readPassword, validated } from '../cli-input';
import { print } from '../cli-output';
import { CliUsers } from '../cli-users.service';

@Command({
  name: 'user:set-password',
  arguments: '<username>',
  description: "Set a user's password (as user:create takes it); their older tokens stop working",
})
export class UserSetPasswordCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly cliUsers: CliUsers,
    private readonly users: UsersService,
  ) {
    super();
  }

  async run([username]: string[], options: { password?: string }): Promise<void> {
    const password = await readPassword(options.password);
    await validated(RegisterUserDto, { password }, ['password']);
    await this.database.open();
    const user = await this.cliUsers.require(username);
    await this.users.setPassword(user.id, password);
    print(`Changed the password of ${user.username}; tokens issued before no longer work.`);
  }

  @Option({
    flags: '--password <password>',
    description: 'the new password (visible to local users in the process list)',
  })
  parsePassword(value: string): string {
    return value;
  }
}
