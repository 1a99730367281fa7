import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, runMigrations } from '../../src/common/database/data-source';
import { FileStorage } from '../../src/common/storage/file-storage';
import { PostgresFileStorage } from '../../src/common/storage/postgres-file-storage';
import { createTestDatabase, TestDatabase, usingPostgres } from '../helpers/database';

const CHUNK = 1024;

/** The postgres driver on its own, on the run's database (a fresh PostgreSQL database, or an embedded one). */
describe(`PostgresFileStorage (${usingPostgres() ? 'PostgreSQL' : 'embedded database'})`, () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let storage: PostgresFileStorage;

  const readAll = async (stream: Readable): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dfchat-pg-storage-'));
    database = usingPostgres() ? await createTestDatabase() : undefined;
    dataSource = await new DataSource(
      buildDataSourceOptions({ databaseUrl: database?.url ?? null, dataDir, databasePoolSize: 2 }),
    ).initialize();
    await runMigrations(dataSource);
    storage = new PostgresFileStorage(dataSource, 'https://cdn.example.com/media', {
      chunkBytes: CHUNK,
      keysPerPage: 2,
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should give back exactly what was put, whatever its size against the chunk size', async () => {
    for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 17]) {
      const key = FileStorage.newKey('png');
      const data = Buffer.from(Array.from({ length: size }, (_, index) => (index * 7 + size) % 256));

      await storage.put(key, data);

      expect(await storage.has(key)).toBe(true);
      expect((await readAll((await storage.open(key))!)).equals(data)).toBe(true);
      const [{ chunks }] = await dataSource.query<{ chunks: number }[]>(
        'SELECT count(*)::int AS chunks FROM media_file_chunks WHERE file_key = $1',
        [key],
      );
      expect(chunks).toBe(Math.ceil(size / CHUNK));
    }
  });

  it('should read a chunk only when the reader wants it', async () => {
    const key = FileStorage.newKey('jpg');
    await storage.put(key, Buffer.alloc(4 * CHUNK, 1));
    const stream = (await storage.open(key))!;
    const reader = stream[Symbol.asyncIterator]();

    expect(((await reader.next()).value as Buffer).length).toBe(CHUNK);
    // Deleted after the first chunk was read: the rest is not in memory, so the stream fails, not ends short.
    await storage.delete(key);

    await expect(
      (async () => {
        for (let next = await reader.next(); !next.done; next = await reader.next()) {
          // Drains what was read ahead.
        }
      })(),
    ).rejects.toThrow('went away while being read');
  });

  it('should list every key, page after page, and forget deleted files', async () => {
    const keys = Array.from({ length: 7 }, () => FileStorage.newKey('gif'));
    await Promise.all(keys.map((key) => storage.put(key, Buffer.from(key))));
    await storage.delete(keys[0]);

    const listed: string[] = [];
    for await (const key of storage.keys()) {
      listed.push(key);
    }

    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(keys.slice(1)));
    expect(listed).not.toContain(keys[0]);
    expect(await storage.has(keys[0])).toBe(false);
    expect(await storage.open(keys[0])).toBeNull();
    expect(await storage.open('../not-a-key')).toBeNull();
    expect(storage.url(keys[1])).toBe(`https://cdn.example.com/media/${keys[1]}`);
  });
});
