import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { buildDataSourceOptions, runMigrations } from './data-source';
import { EmbeddedDatabaseUnusableError } from './embedded-lock';

/** The database of a running app: connected at start, with pending migrations applied. */
export function migratedDatabaseModule(config: AppConfig): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({
      ...buildDataSourceOptions(config),
      // Waiting does not help when, say, another process holds the embedded database.
      toRetry: (error: unknown) => !(error instanceof EmbeddedDatabaseUnusableError),
    }),
    dataSourceFactory: async (options) => {
      const dataSource = await new DataSource(options!).initialize();
      await runMigrations(dataSource);
      return dataSource;
    },
  });
}
