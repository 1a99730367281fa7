import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { AppConfig, ConfigError, loadConfig } from '../common/config/config';
import { EXIT_FAILURE, reportError } from './cli-errors';
import { CliModule } from './cli.module';

async function main(): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.problems.map((problem) => `error: configuration: ${problem}\n`).join(''));
      return EXIT_FAILURE;
    }
    throw error;
  }
  let exitCode = 0;
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: false,
    abortOnError: false,
    cliName: 'df-chat',
    serviceErrorHandler: (error) => {
      exitCode = reportError(error);
    },
  });
  return exitCode;
}

/** process.exit() drops output still queued for a pipe: exit once stdout and stderr have taken it all. */
function exitAfterOutput(code: number): void {
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) {
      process.exit(code);
    }
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

main().then(exitAfterOutput, (error: unknown) => exitAfterOutput(reportError(error)));
