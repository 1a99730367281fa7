import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MigrationExecutor } from 'typeorm';
import { runMigrations } from '../common/database/data-source';
import { EmbeddedDatabaseUnusableError } from '../common/database/embedded-lock';
import { CommandFailed } from './cli-errors';
import { note } from './cli-output';

/**
 * The CLI's data source is built like the app's but connected only when a command needs it, so that
 * `--help` and usage errors never touch (or lock) the database.
 */
@Injectable()
export class CliDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Connects; unless told otherwise, applies pending migrations first, as the app does on start. */
  async open(options: { migrate: boolean } = { migrate: true }): Promise<DataSource> {
    if (!this.dataSource.isInitialized) {
      // TypeORM rebuilds its subscriber list when it connects: keep those that providers registered.
      const subscribers = [...this.dataSource.subscribers];
      try {
        await this.dataSource.initialize();
        this.dataSource.subscribers.push(...subscribers.filter((s) => !this.dataSource.subscribers.includes(s)));
      } catch (error) {
        if (error instanceof EmbeddedDatabaseUnusableError) {
          throw new CommandFailed(error.message);
        }
        throw new CommandFailed(`cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (options.migrate) {
      for (const name of await runMigrations(this.dataSource)) {
        note(`Applied migration ${name}`);
      }
    }
    return this.dataSource;
  }

  async pendingMigrations(): Promise<string[]> {
    const pending = await new MigrationExecutor(this.dataSource).getPendingMigrations();
    return pending.map((migration) => migration.name);
  }
}
