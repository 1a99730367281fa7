import { Command, CommandRunner } from 'nest-commander';
import { AuthService } from '../../auth/auth.service';
import { CliDatabase } from '../cli-database.service';
import { CliUsers } from '../cli-users.service';
import { print } from '../cli-output';

@Command({
  name: 'user:token',
  arguments: '<username>',
  description: 'Print a JWT for the user (e.g. for /chat/<room_id>/?token=<JWT>)',
})
export class UserTokenCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    private readonly users: CliUsers,
    private readonly auth: AuthService,
  ) {
    super();
  }

  async run([username]: string[]): Promise<void> {
    await this.database.open();
    print(this.auth.issueToken(await this.users.require(username)));
  }
}
