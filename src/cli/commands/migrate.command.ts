import { Command, CommandRunner, Option } from 'nest-commander';
import { runMigrations } from '../../common/database/data-source';
import { CliDatabase } from '../cli-database.service';
import { CommandFailed } from '../cli-errors';
import { print } from '../cli-output';

@Command({ name: 'migrate', description: 'Apply pending database migrations (as the app does on start)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run(_: string[], options: { check?: boolean }): Promise<void> {
    const dataSource = await this.database.open({ migrate: false });
    if (options.check) {
      const pending = await this.database.pendingMigrations();
      if (pending.length > 0) {
        throw new CommandFailed(`${pending.length} pending migration(s): ${pending.join(', ')}`);
      }
      print('No pending migrations.');
      return;
    }
    const applied = await runMigrations(dataSource);
    print(applied.length === 0 ? 'No pending migrations.' : applied.map((name) => `Applied ${name}`).join('\n'));
  }

  @Option({ flags: '--check', description: 'apply nothing; exit 1 when migrations are pending, 0 when none' })
  parseCheck(): boolean {
    return true;
  }
}
