import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import sharp from 'sharp';
import { redisPrefixOf, startApp, TestApp } from './helpers/app';
import { api, request } from './helpers/api';
import { createTestDatabase, TestDatabase, usingPostgres } from './helpers/database';
import { newUser } from './helpers/factories';
import { startS3Server, TestS3 } from './helpers/s3';

const CLI = resolve(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `media:migrate` on the run's database: files uploaded with one driver are copied by the CLI to
 * another, and an app started on the second serves them. `media:thumbnails` fills in what images
 * uploaded before thumbnails lack.
 */
describe(`media:migrate and media:thumbnails (${usingPostgres() ? 'PostgreSQL' : 'embedded database'})`, () => {
  // The main test starts the app three times and the CLI four, each opening the database (seconds each
  // on the embedded one, several times that on a busy machine).
  jest.setTimeout(420_000);

  let dataDir: string;
  let database: TestDatabase | undefined;
  let s3: TestS3;

  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: redisPrefixOf(database, dataDir),
    ...s3.env('uploads/'),
    ...extra,
  });

  const cli = (args: string[]): Promise<CliResult> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`cli ${args.join(' ')} timed out:\n${stdout}\n${stderr}`));
      }, 90_000);
      child.once('error', fail);
      child.once('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
    });

  const migrate = async (...args: string[]) => {
    const result = await cli(['media:migrate', ...args, '--json']);
    if (result.code !== 0) {
      throw new Error(`media:migrate ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    }
    return JSON.parse(result.stdout) as Record<string, number>;
  };

  /** The embedded database is one process's: the app runs only while the CLI does not. */
  const withApp = async (storage: string, work: (app: TestApp) => Promise<void>): Promise<void> => {
    const app = await startApp({ dataDir, database, env: env({ STORAGE: storage }) });
    try {
      await work(app);
    } finally {
      await app.stop();
    }
    expect(app.output()).not.toMatch(/"status":5\d\d/);
  };

  const expectServed = (files: Map<string, Buffer>) => async (app: TestApp) => {
    for (const [url, data] of files) {
      const response = await fetch(`${app.url}${url}`);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
    }
  };

  /** SQL on the run's database, while no app or CLI has it open. */
  const sql = async (query: string, params: unknown[] = []): Promise<Record<string, any>[]> => {
    if (database) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query(query, params)).rows;
      } finally {
        await client.end();
      }
    }
    const embedded = await PGlite.create(join(dataDir, 'pgdata'));
    try {
      return (await embedded.query<Record<string, any>>(query, params)).rows;
    } finally {
      await embedded.close();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dfchat-media-migrate-'));
    database = usingPostgres() ? await createTestDatabase() : undefined;
    s3 = await startS3Server();
  });

  afterAll(async () => {
    await s3.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should refuse a wrong command line, and a driver it cannot set up', async () => {
    const same = await cli(['media:migrate', '--from', 'local', '--to', 'local']);
    const unknown = await cli(['media:migrate', '--from', 'disk', '--to', 'postgres']);
    const missing = await cli(['media:migrate', '--from', 'local']);
    const noBucket = await new Promise<CliResult>((done) => {
      const child = spawn(process.execPath, [CLI, 'media:migrate', '--from', 'local', '--to', 's3'], {
        env: { ...env(), S3_BUCKET: '' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('close', (code) => done({ code, stdout: '', stderr }));
    });

    expect(same).toMatchObject({ code: 2, stderr: 'error: --from and --to must name two different drivers\n' });
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--from must be one of local, postgres, s3'),
    });
    expect(missing).toMatchObject({ code: 2, stderr: 'error: --from and --to are required\n' });
    expect(noBucket).toMatchObject({ code: 1, stderr: 'error: S3_BUCKET is required for the s3 storage driver\n' });
  });

  it('should move images and thumbnails from local to postgres to s3, idempotently, and have each driver serve them', async () => {
    const files = new Map<string, Buffer>();
    await withApp('local', async (app) => {
      const user = await newUser(app);
      const room = await api(app, user.token).post('/api/v1/chat/rooms/', { title: 'Album' });
      for (const colour of [10, 200]) {
        const form = new FormData();
        form.append('room_id', room.body.id);
        const png = await sharp({
          create: { width: 40, height: 30, channels: 3, background: { r: colour, g: 0, b: 0 } },
        })
          .png()
          .toBuffer();
        form.append('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'red.png');
        const image = await request(app, 'POST', '/api/v1/chat/images/', { token: user.token, raw: form });
        expect(image.status).toBe(201);
        // Each image and its thumbnail: the command moves both.
        for (const url of [image.body.image, image.body.thumbnail]) {
          const stored = await fetch(`${app.url}${url}`);
          files.set(url, Buffer.from(await stored.arrayBuffer()));
        }
      }
    });
    expect([...files.keys()].filter((url) => url.endsWith('.webp'))).toHaveLength(2);

    expect(await migrate('--from', 'local', '--to', 'postgres')).toEqual({
      found: 4,
      copied: 4,
      present: 0,
      deleted: 0,
      failed: 0,
    });
    expect(await migrate('--from', 'local', '--to', 'postgres')).toEqual({
      found: 4,
      copied: 0,
      present: 4,
      deleted: 0,
      failed: 0,
    });
    // The app on postgres owes nothing to the local copies.
    rmSync(join(dataDir, 'media'), { recursive: true });
    await withApp('postgres', expectServed(files));

    expect(await migrate('--from', 'postgres', '--to', 's3', '--delete-source')).toEqual({
      found: 4,
      copied: 4,
      present: 0,
      deleted: 4,
      failed: 0,
    });
    expect(await migrate('--from', 'postgres', '--to', 's3', '--delete-source')).toMatchObject({ found: 0 });
    for (const url of files.keys()) {
      const type = url.endsWith('.webp') ? 'image/webp' : 'image/png';
      expect(await s3.contentTypeOf(`uploads/${url.split('/').pop()}`)).toBe(type);
    }
    await withApp('s3', expectServed(files));
    expect(existsSync(join(dataDir, 'media'))).toBe(false);
  });

  it('should make the thumbnails and placeholders of images uploaded before them, once', async () => {
    const images: { id: string }[] = [];
    let token = '';
    await withApp('local', async (app) => {
      const user = await newUser(app);
      token = user.token;
      const room = await api(app, user.token).post('/api/v1/chat/rooms/', { title: 'Old album' });
      for (const [width, height] of [
        [900, 600],
        [40, 30],
      ]) {
        const form = new FormData();
        form.append('room_id', room.body.id);
        const jpeg = await sharp({ create: { width, height, channels: 3, background: '#884422' } })
          .jpeg()
          .toBuffer();
        form.append('image', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'old.jpg');
        const image = await request(app, 'POST', '/api/v1/chat/images/', { token: user.token, raw: form });
        expect(image.status).toBe(201);
        images.push(image.body);
      }
    });
    // As if uploaded before thumbnails were made: neither the columns nor the files.
    for (const { id } of images) {
      const [{ thumbnail_key: key }] = await sql('SELECT thumbnail_key FROM message_images WHERE id = $1', [id]);
      rmSync(join(dataDir, 'media', key.slice(0, 2), key));
      await sql(
        'UPDATE message_images SET thumbnail_key = NULL, thumbnail_size = NULL, placeholder = NULL WHERE id = $1',
        [id],
      );
    }
    await withApp('local', async (app) => {
      const image = await api(app, token).get(`/api/v1/chat/images/${images[0].id}/`);
      expect(image.body).toMatchObject({ thumbnail: null, placeholder: null });
    });

    const made = await cli(['media:thumbnails', '--json']);
    const again = await cli(['media:thumbnails', '--json']);

    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(made.stdout)).toEqual({ found: 2, made: 2, failed: 0 });
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(again.stdout)).toEqual({ found: 0, made: 0, failed: 0 });
    await withApp('local', async (app) => {
      for (const [{ id }, width, height] of [
        [images[0], 320, 213],
        [images[1], 40, 30],
      ] as const) {
        const image = await api(app, token).get(`/api/v1/chat/images/${id}/`);
        expect(image.body.placeholder).toMatch(/^data:image\/webp;base64,/);
        expect(image.body.placeholder.length).toBeLessThanOrEqual(1024);
        const thumbnail = await fetch(`${app.url}${image.body.thumbnail}`);
        expect(thumbnail.status).toBe(200);
        expect(thumbnail.headers.get('content-type')).toBe('image/webp');
        const metadata = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
        expect(metadata).toMatchObject({ format: 'webp', width, height });
      }
    });
  });
});
