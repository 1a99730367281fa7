import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/config';
import { pgliteDriver } from './pglite';
import { PreparingClient } from './prepared-statements';
import { QueryCountingLogger } from './query-counter';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Every feature's entities, found by name so that this shared layer imports no feature. */
export const ENTITY_FILES = join(__dirname, '..', '..', '**', '*.entity.{js,ts}');

/** The one description of the database, shared by the app, the CLI and the tests. */
export function buildDataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'> &
    Partial<Pick<AppConfig, 'exposeQueryCount' | 'databasePoolSize' | 'databasePreparedStatements'>>,
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: [ENTITY_FILES],
    // Compiled migrations when running from dist/, TypeScript ones when the tests load the sources.
    migrations: [join(__dirname, '..', '..', '..', 'migrations', '*.{js,ts}')],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // Ids come from gen_random_uuid(), built into PostgreSQL since 13: no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    // Counting statements per request (EXPOSE_QUERY_COUNT) is a test and benchmark aid; off, nothing is installed.
    ...(config.exposeQueryCount ? { logger: new QueryCountingLogger() } : {}),
  };
  if (config.databaseUrl) {
    return {
      ...common,
      url: config.databaseUrl,
      extra: {
        // A few connections per core: more only queue more work on the same CPUs.
        max: config.databasePoolSize ?? 10,
        // Every statement here is a short one. Correlated subqueries (a page of message views) can
        // still pass jit_above_cost on their estimates, and compiling then takes hundreds of
        // milliseconds for a statement that runs in a few.
        options: '-c jit=off',
        // Planning a statement can cost more than running it.
        ...(config.databasePreparedStatements === false ? {} : { Client: PreparingClient }),
      },
    };
  }
  const dataDir = join(config.dataDir, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  return { ...common, driver: pgliteDriver(dataDir) };
}

const MIGRATION_LOCK = 0x6466_6368; // "dfch": one instance migrates at a time

export const isEmbedded = (dataSource: DataSource): boolean => dataSource.options.driver !== undefined;

/** Applies pending migrations; instances starting together on one PostgreSQL wait for each other. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const apply = async () => (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
  if (isEmbedded(dataSource)) {
    // One process owns the embedded database, so there is no one to wait for.
    return apply();
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await apply();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
