import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, runMigrations } from '../../src/common/database/data-source';
import { createTestDatabase, TestDatabase, usingPostgres } from '../helpers/database';

describe('database schema', () => {
  let dataSource: DataSource;
  let database: TestDatabase | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dfchat-schema-'));
    database = usingPostgres() ? await createTestDatabase() : undefined;
    dataSource = await new DataSource(
      buildDataSourceOptions({ databaseUrl: database?.url ?? null, dataDir }),
    ).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should apply every migration, then have nothing pending', async () => {
    const applied = await runMigrations(dataSource);
    expect(applied.length).toBeGreaterThan(0);
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await runMigrations(dataSource)).toEqual([]);
  });

  it('should agree with the entities: generating a migration yields nothing', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('should refuse a second reaction of the same body by the same user in the database itself', async () => {
    const [user] = await dataSource.query(`INSERT INTO users (username, password_hash) VALUES ('u', 'x') RETURNING id`);
    const [room] = await dataSource.query(`INSERT INTO rooms (title) VALUES ('r') RETURNING id`);
    const [roomUser] = await dataSource.query(
      `INSERT INTO room_users (room_id, user_id) VALUES ($1, $2) RETURNING id`,
      [room.id, user.id],
    );
    const [parent] = await dataSource.query(
      `INSERT INTO messages (room_id, room_user_id, user_id, body) VALUES ($1, $2, $3, 'hi') RETURNING id`,
      [room.id, roomUser.id, user.id],
    );
    const react = () =>
      dataSource.query(
        `INSERT INTO messages (room_id, room_user_id, user_id, body, parent_id, is_reaction) VALUES ($1, $2, $3, '+', $4, true)`,
        [room.id, roomUser.id, user.id, parent.id],
      );
    await react();
    await expect(react()).rejects.toThrow(/messages_reaction_once_key/);
  });

  it('should refuse a second message with the same client_id by the same user, not by another user', async () => {
    const [user, other] = await dataSource.query(
      `INSERT INTO users (username, password_hash) VALUES ('c1', 'x'), ('c2', 'x') RETURNING id`,
    );
    const [room] = await dataSource.query(`INSERT INTO rooms (title) VALUES ('c') RETURNING id`);
    const post = async (author: { id: string }, clientId: string | null) => {
      const [roomUser] = await dataSource.query(
        `INSERT INTO room_users (room_id, user_id) VALUES ($1, $2)
         ON CONFLICT (room_id, user_id) DO UPDATE SET user_id = EXCLUDED.user_id RETURNING id`,
        [room.id, author.id],
      );
      await dataSource.query(
        `INSERT INTO messages (room_id, room_user_id, user_id, body, client_id) VALUES ($1, $2, $3, 'hi', $4)`,
        [room.id, roomUser.id, author.id, clientId],
      );
    };
    await post(user, 'key-1');
    await post(other, 'key-1');
    await post(user, null);
    await post(user, null);
    await expect(post(user, 'key-1')).rejects.toThrow(/messages_client_id_key/);
  });
});
