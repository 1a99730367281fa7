import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import sharp from 'sharp';
import { startApp, startIsolatedApp, TestApp } from './helpers/app';
import { api, request } from './helpers/api';
import { createTestDatabase, TestDatabase, usingPostgres } from './helpers/database';
import { newUser, TestUser } from './helpers/factories';
import { startS3Server, TestS3 } from './helpers/s3';

interface Image {
  id: string;
  image: string;
  size: number;
  thumbnail: string;
}

/** Random pixels do not compress: a PNG of this size is several 256 KiB chunks. */
const noisePng = (width = 420, height = 320): Promise<Buffer> =>
  sharp(Buffer.from(Array.from({ length: width * height * 3 }, () => Math.floor(Math.random() * 256))), {
    raw: { width, height, channels: 3 },
  })
    .png()
    .toBuffer();

async function uploadImage(app: TestApp, user: TestUser): Promise<Image> {
  const room = await api(app, user.token).post('/api/v1/chat/rooms/', { title: 'Pictures' });
  expect(room.status).toBe(201);
  const form = new FormData();
  form.append('room_id', room.body.id);
  form.append('image', new Blob([new Uint8Array(await noisePng())], { type: 'image/png' }), 'noise.png');
  const response = await request<Image>(app, 'POST', '/api/v1/chat/images/', { token: user.token, raw: form });
  expect(response.status).toBe(201);
  return response.body;
}

/** GETs an absolute URL, or a path on the app. */
async function download(url: string, app?: TestApp) {
  const response = await fetch(app ? `${app.url}${url}` : url);
  return { response, data: Buffer.from(await response.arrayBuffer()) };
}

const keyOf = (image: Image): string => image.image.split('/').pop()!;
const thumbnailKeyOf = (image: Image): string => image.thumbnail.split('/').pop()!;

/** No request may end in a server error; the local disk is never used by the other drivers. */
async function stopChecked(app: TestApp): Promise<void> {
  const output = app.output();
  const dataDir = app.dataDir;
  expect(existsSync(join(dataDir, 'media'))).toBe(false);
  await app.stop();
  expect(output).not.toMatch(/"status":5\d\d/);
}

describe('media storage', () => {
  /*
   * Two instances share a PostgreSQL by nature, so this uses the machine's server whichever database
   * the rest of the run is on.
   */
  describe('postgres driver, two instances with their own DATA_DIR', () => {
    let database: TestDatabase;
    let sql: Client;
    let a: TestApp;
    let b: TestApp;
    let alice: TestUser;
    const env = { STORAGE: 'postgres', JWT_SECRET: 'storage-test-secret-of-at-least-32-characters' };

    beforeAll(async () => {
      database = await createTestDatabase();
      [a, b] = await Promise.all([startApp({ database, env }), startApp({ database, env })]);
      expect(a.dataDir).not.toBe(b.dataDir);
      sql = new Client({ connectionString: database.url });
      await sql.connect();
      alice = await newUser(a);
    });

    afterAll(async () => {
      await sql.end();
      await Promise.all([stopChecked(a), stopChecked(b)]);
      await database.drop();
    });

    it('should serve through B, byte for byte, an image uploaded through A', async () => {
      const image = await uploadImage(a, alice);

      const fromA = await download(image.image, a);
      const fromB = await download(image.image, b);

      expect(fromA.response.status).toBe(200);
      expect(fromB.response.status).toBe(200);
      expect(fromB.data.equals(fromA.data)).toBe(true);
      expect(fromB.data.length).toBe(image.size);
      expect(fromB.response.headers.get('content-type')).toBe('image/png');
      expect(fromB.response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      // Kept in slices, so that serving it never holds the whole file.
      const { rows } = await sql.query<{ part: number; bytes: number }>(
        'SELECT part, length(data) AS bytes FROM media_file_chunks WHERE file_key = $1 ORDER BY part',
        [keyOf(image)],
      );
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.map((row) => row.part)).toEqual(rows.map((_, index) => index));
      expect(rows.slice(0, -1).every((row) => row.bytes === 256 * 1024)).toBe(true);
      expect(rows.reduce((total, row) => total + row.bytes, 0)).toBe(image.size);
    });

    it('should serve through B the thumbnail of an image uploaded through A', async () => {
      const image = await uploadImage(a, alice);

      const fromB = await download(image.thumbnail, b);

      expect(fromB.response.status).toBe(200);
      expect(fromB.response.headers.get('content-type')).toBe('image/webp');
      expect(Number(fromB.response.headers.get('content-length'))).toBe(fromB.data.length);
      expect(await sharp(fromB.data).metadata()).toMatchObject({ format: 'webp', width: 320, height: 244 });
      expect(fromB.data.equals((await download(image.thumbnail, a)).data)).toBe(true);
    });

    it('should answer 404 on B once the image is deleted through A, and keep nothing of the file', async () => {
      const image = await uploadImage(a, alice);
      expect((await download(image.image, b)).response.status).toBe(200);

      expect((await api(a, alice.token).delete(`/api/v1/chat/images/${image.id}/`)).status).toBe(204);

      const gone = await download(image.image, b);
      expect(gone.response.status).toBe(404);
      expect(JSON.parse(gone.data.toString())).toEqual({ errors: [{ code: 'not_found', message: 'File not found' }] });
      expect((await download(image.thumbnail, b)).response.status).toBe(404);
      const { rows } = await sql.query(
        `SELECT (SELECT count(*) FROM media_files WHERE key = ANY($1))::int AS files,
                (SELECT count(*) FROM media_file_chunks WHERE file_key = ANY($1))::int AS chunks`,
        [[keyOf(image), thumbnailKeyOf(image)]],
      );
      expect(rows[0]).toEqual({ files: 0, chunks: 0 });
    });
  });

  describe(`postgres driver on the ${usingPostgres() ? 'PostgreSQL' : 'embedded'} database`, () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startIsolatedApp({ STORAGE: 'postgres' });
    });

    afterAll(async () => {
      await stopChecked(app);
    });

    it('should store, serve and delete a file of several chunks', async () => {
      const user = await newUser(app);
      const image = await uploadImage(app, user);

      const served = await download(image.image, app);
      expect(served.response.status).toBe(200);
      expect(served.data.length).toBe(image.size);
      expect((await sharp(served.data).metadata()).format).toBe('png');
      const thumbnail = await download(image.thumbnail, app);
      expect(thumbnail.response.status).toBe(200);
      expect((await sharp(thumbnail.data).metadata()).format).toBe('webp');

      expect((await api(app, user.token).delete(`/api/v1/chat/images/${image.id}/`)).status).toBe(204);
      expect((await download(image.image, app)).response.status).toBe(404);
      expect((await download(image.thumbnail, app)).response.status).toBe(404);
    });
  });

  describe('s3 driver against an S3-compatible server', () => {
    let s3: TestS3;
    let app: TestApp;
    let user: TestUser;
    const prefix = 'media/';

    beforeAll(async () => {
      s3 = await startS3Server();
      app = await startIsolatedApp({
        STORAGE: 's3',
        ...s3.env(prefix),
        // The bucket's own URL stands in for a CDN in front of it.
        MEDIA_BASE_URL: `${s3.endpoint}/${s3.bucket}/media/`,
      });
      user = await newUser(app);
    });

    afterAll(async () => {
      await stopChecked(app);
      await s3.stop();
    });

    it('should keep the file in the bucket and hand out URLs under MEDIA_BASE_URL', async () => {
      const image = await uploadImage(app, user);
      const key = keyOf(image);

      expect(image.image).toBe(`${s3.endpoint}/${s3.bucket}/media/${key}`);
      expect(await s3.contentTypeOf(`${prefix}${key}`)).toBe('image/png');
      const fromCdn = await download(image.image);
      const fromApp = await download(`/media/images/${key}`, app);
      expect(fromCdn.response.status).toBe(200);
      expect(fromCdn.response.headers.get('content-type')).toBe('image/png');
      expect(fromCdn.response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(fromApp.response.status).toBe(200);
      expect(fromApp.data.equals(fromCdn.data)).toBe(true);
      expect(fromApp.data.length).toBe(image.size);
      const listed = await api(app, user.token).get('/api/v1/chat/images/');
      expect(listed.body.results[0].image).toBe(image.image);
      // The thumbnail is an object of its own beside the image, under MEDIA_BASE_URL too.
      expect(image.thumbnail).toBe(`${s3.endpoint}/${s3.bucket}/media/${thumbnailKeyOf(image)}`);
      expect(await s3.contentTypeOf(`${prefix}${thumbnailKeyOf(image)}`)).toBe('image/webp');
      const thumbnail = await download(image.thumbnail);
      expect(thumbnail.response.status).toBe(200);
      expect((await sharp(thumbnail.data).metadata()).format).toBe('webp');
      // The chat pages may load images from there.
      const page = await fetch(`${app.url}/chat/`);
      expect(page.headers.get('content-security-policy')).toContain(`img-src 'self' blob: data: ${s3.endpoint};`);
    });

    it('should remove the object when the image is deleted', async () => {
      const image = await uploadImage(app, user);
      const key = keyOf(image);

      expect((await api(app, user.token).delete(`/api/v1/chat/images/${image.id}/`)).status).toBe(204);

      expect(await s3.contentTypeOf(`${prefix}${key}`)).toBeNull();
      expect(await s3.contentTypeOf(`${prefix}${thumbnailKeyOf(image)}`)).toBeNull();
      expect((await download(`/media/images/${key}`, app)).response.status).toBe(404);
      expect((await download(image.image)).response.status).toBe(404);
    });
  });
});
