import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, STORAGE_DRIVERS, StorageDriver } from '../../common/config/config';
import { moveFiles } from '../../common/storage/move-files';
import { createFileStorage, StorageNotConfigured } from '../../common/storage/storage.module';
import { CliDatabase } from '../cli-database.service';
import { CommandFailed, UsageError } from '../cli-errors';
import { note, print, printJson } from '../cli-output';

interface MediaMigrateOptions {
  from?: StorageDriver;
  to?: StorageDriver;
  deleteSource?: boolean;
  json?: boolean;
}

const driverOption =
  (flag: string) =>
  (value: string): StorageDriver => {
    if (!(STORAGE_DRIVERS as readonly string[]).includes(value)) {
      throw new UsageError(`${flag} must be one of ${STORAGE_DRIVERS.join(', ')}, got "${value}"`);
    }
    return value as StorageDriver;
  };

@Command({
  name: 'media:migrate',
  description:
    'Copy uploaded files from one storage driver to another (local, postgres, s3); again: copies only what is missing',
})
export class MediaMigrateCommand extends CommandRunner {
  constructor(
    private readonly database: CliDatabase,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_: string[], options: MediaMigrateOptions): Promise<void> {
    const { from, to } = options;
    if (!from || !to) {
      throw new UsageError('--from and --to are required');
    }
    if (from === to) {
      throw new UsageError('--from and --to must name two different drivers');
    }
    if (from === 'postgres' || to === 'postgres') {
      await this.database.open();
    }
    const [source, target] = [from, to].map((driver) => {
      try {
        return createFileStorage(driver, this.config, this.dataSource);
      } catch (error) {
        throw error instanceof StorageNotConfigured ? new CommandFailed(error.message) : error;
      }
    });
    const report = await moveFiles(source, target, { deleteSource: options.deleteSource ?? false });
    for (const { key, error } of report.failed) {
      note(`could not copy ${key}: ${error}`);
    }
    if (options.json) {
      printJson({ ...report, failed: report.failed.length });
    } else {
      print(
        `${report.found} file(s) in ${from}: copied ${report.copied} to ${to}, ${report.present} there already` +
          (options.deleteSource ? `, deleted ${report.deleted} from ${from}` : '') +
          (report.failed.length > 0 ? `, ${report.failed.length} failed` : '') +
          '.',
      );
    }
    if (report.failed.length > 0) {
      throw new CommandFailed(
        `${report.failed.length} file(s) could not be copied; run the command again to retry them`,
      );
    }
  }

  @Option({ flags: '--from <driver>', description: `where the files are now: ${STORAGE_DRIVERS.join(', ')}` })
  parseFrom(value: string): StorageDriver {
    return driverOption('--from')(value);
  }

  @Option({ flags: '--to <driver>', description: `where they should be: ${STORAGE_DRIVERS.join(', ')}` })
  parseTo(value: string): StorageDriver {
    return driverOption('--to')(value);
  }

  @Option({ flags: '--delete-source', description: 'remove each file from --from once it is in --to' })
  parseDeleteSource(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print the counts as a JSON object' })
  parseJson(): boolean {
    return true;
  }
}
