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
      process.stderr.write(`error: configuration: ${error.message}\n`);
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError(error)),
);
