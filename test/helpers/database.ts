import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A fresh PostgreSQL database for one group of app instances, created on the test server and dropped after. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export const usingPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

/**
 * The PostgreSQL server for tests that need one whatever database the run uses (several instances
 * sharing a database, or SQL run beside the app): the configured one, else the machine's.
 */
export const postgresServerUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisServerUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(postgresServerUrl());
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `dfchat_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(postgresServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
