import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandRunner, InjectCommander } from 'nest-commander';

type Program = Parameters<CommandRunner['setCommand']>[0];

const HELP_AFTER = `
Every command takes --help. Configuration comes from the environment, as for the app: DATABASE_URL
(PostgreSQL) or else the embedded database in DATA_DIR (default ./data), which only one process may
open at a time: stop the app before using the CLI on it.

Exit codes: 0 done, 1 failed (not found, conflict, database unavailable, migrations pending),
2 wrong usage (unknown command or option, missing argument, malformed value).`;

/**
 * Makes every command of the tree throw instead of exiting on a parse error, so that main() decides
 * the exit code in one place, and refuse arguments it does not take.
 */
@Injectable()
export class CliSetup implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly program: Program) {}

  onApplicationBootstrap(): void {
    this.program.name('npm run cli --').description('The df-chat admin CLI.').addHelpText('after', HELP_AFTER);
    const configure = (command: Program) => {
      command.exitOverride();
      command.allowExcessArguments(false);
      command.showSuggestionAfterError(true);
      command.commands.forEach(configure);
    };
    configure(this.program);
  }
}
