import { buildDataSourceOptions } from '../../src/common/database/data-source';
import {
  MAX_PREPARED_PER_CONNECTION,
  PreparingClient,
  statementName,
} from '../../src/common/database/prepared-statements';
import { postgresServerUrl } from '../helpers/database';

/** The statements this session has prepared, by name. */
async function preparedOf(client: PreparingClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
  return rows.map((row) => row.name);
}

// The preparing client is PostgreSQL's only (the embedded database has no pool), so this runs against
// the machine's PostgreSQL whatever database the rest of the run uses.
describe('prepared statements (PostgreSQL connections)', () => {
  let client: PreparingClient;

  beforeEach(async () => {
    client = new PreparingClient({ connectionString: postgresServerUrl() });
    await client.connect();
  });

  afterEach(async () => {
    await client.end();
  });

  it('should name a statement by its text alone', () => {
    expect(statementName('SELECT $1::int')).toBe(statementName('SELECT $1::int'));
    expect(statementName('SELECT $1::int')).not.toBe(statementName('SELECT $1::text'));
    expect(statementName('SELECT $1::int').length).toBeLessThanOrEqual(63); // PostgreSQL's identifier limit
  });

  it('should prepare a statement with parameters once and run it again by name', async () => {
    const text = 'SELECT $1::int + 1 AS next';
    for (const value of [1, 2, 3]) {
      const { rows } = await client.query<{ next: number }>(text, [value]);
      expect(rows).toEqual([{ next: value + 1 }]);
    }
    expect(await preparedOf(client)).toEqual([statementName(text)]);
  });

  it('should leave statements without parameters unnamed, several in one text included', async () => {
    await client.query('SELECT 1; SELECT 2');
    await client.query('SELECT 3 AS three', []);
    expect(await preparedOf(client)).toEqual([]);
  });

  it('should keep the connection usable after a prepared statement fails, and prepare it again', async () => {
    const text = 'SELECT 1 / $1::int AS quotient';
    await expect(client.query(text, [0])).rejects.toThrow(/division by zero/);
    expect((await client.query(text, [2])).rows).toEqual([{ quotient: 0 }]);
    const broken = 'SELECT no_such_column FROM pg_class WHERE oid = $1';
    await expect(client.query(broken, [1])).rejects.toThrow(/no_such_column/);
    await expect(client.query(broken, [1])).rejects.toThrow(/no_such_column/); // parsed again, not "unique"
    expect(await preparedOf(client)).toEqual([statementName(text)]);
  });

  it('should prepare no more than its limit on one connection, and still run the statements beyond it', async () => {
    const texts = Array.from({ length: MAX_PREPARED_PER_CONNECTION + 5 }, (_, n) => `SELECT $1::int + ${n} AS v`);
    for (const text of texts) {
      await client.query(text, [1]);
    }
    const prepared = await preparedOf(client);
    expect(prepared).toHaveLength(MAX_PREPARED_PER_CONNECTION);
    expect(prepared).toContain(statementName(texts[0]));
    expect(prepared).not.toContain(statementName(texts.at(-1)!));
    // One already prepared runs by name; one beyond the limit still answers.
    expect((await client.query(texts[0], [1])).rows).toEqual([{ v: 1 }]);
    expect((await client.query(texts.at(-1)!, [1])).rows).toEqual([{ v: MAX_PREPARED_PER_CONNECTION + 5 }]);
    expect(await preparedOf(client)).toHaveLength(MAX_PREPARED_PER_CONNECTION);
  });

  it('should be what the app connects with, unless DATABASE_PREPARED_STATEMENTS=false', () => {
    const extraOf = (databasePreparedStatements?: boolean) =>
      (
        buildDataSourceOptions({
          databaseUrl: postgresServerUrl(),
          dataDir: '/nonexistent',
          databasePreparedStatements,
        }) as {
          extra: { Client?: unknown };
        }
      ).extra;
    expect(extraOf().Client).toBe(PreparingClient);
    expect(extraOf(true).Client).toBe(PreparingClient);
    expect(extraOf(false).Client).toBeUndefined();
  });
});
