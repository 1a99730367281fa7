import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse, errorCodes, request } from './helpers/api';
import { newUser, TestUser } from './helpers/factories';

const IMAGES = '/api/v1/chat/images/';
const UPLOAD_LIMIT = 1024 * 1024;

interface FilePart {
  data: Buffer;
  name: string;
  type: string;
}

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 200 } } });

const png = (width = 30, height = 20) => solid(width, height).png().toBuffer();
const jpeg = (width = 30, height = 20) => solid(width, height).jpeg().toBuffer();

const pngFile = async (name = 'picture.png'): Promise<FilePart> => ({ data: await png(), name, type: 'image/png' });

describe('images', () => {
  let app: TestApp;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let roomId: string;

  const as = (user: TestUser) => api(app, user.token);

  /** Sends a multipart upload: text fields, then the files, each in its own part. */
  function upload(
    user: TestUser | null,
    fields: Record<string, string>,
    files: { field?: string; file: FilePart }[],
  ): Promise<ApiResponse> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      form.append(name, value);
    }
    for (const { field, file } of files) {
      form.append(field ?? 'image', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
    }
    return request(app, 'POST', IMAGES, { token: user?.token, raw: form });
  }

  const uploadTo = async (user: TestUser, fields: Record<string, string>, file?: FilePart) =>
    upload(user, fields, [{ file: file ?? (await pngFile()) }]);

  async function newRoom(creator: TestUser, fields: { is_public?: boolean; users?: string[] } = {}): Promise<string> {
    const response = await as(creator).post('/api/v1/chat/rooms/', { title: 'Pictures', ...fields });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  async function newMessage(user: TestUser, room: string, body = 'look at this'): Promise<string> {
    const response = await as(user).post(`/api/v1/chat/rooms/${room}/messages/`, { body });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  const getMessage = (user: TestUser, room: string, messageId: string) =>
    as(user).get(`/api/v1/chat/rooms/${room}/messages/${messageId}/`);

  const messageCount = async (user: TestUser, room: string): Promise<number> =>
    (await as(user).get(`/api/v1/chat/rooms/${room}/messages/?limit=1`)).body.count;

  /** Where the app keeps the file of an image URL (see LocalFileStorage). */
  const fileOf = (url: string): string => {
    const key = url.split('/').pop()!;
    return join(app.dataDir, 'media', key.slice(0, 2), key);
  };

  const storedFileCount = (): number => {
    const root = join(app.dataDir, 'media');
    return existsSync(root)
      ? readdirSync(root, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .reduce((total, entry) => total + readdirSync(join(root, entry.name)).length, 0)
      : 0;
  };

  const fetchFile = async (url: string) => {
    const response = await fetch(`${app.url}${url}`);
    return { response, data: Buffer.from(await response.arrayBuffer()) };
  };

  beforeAll(async () => {
    app = await startIsolatedApp({ MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT) });
    owner = await newUser(app, { first_name: 'Olive' });
    member = await newUser(app, { first_name: 'Max' });
    outsider = await newUser(app, { first_name: 'Otto' });
    roomId = await newRoom(owner, { is_public: false, users: [member.id] });
  });

  afterAll(async () => {
    const output = app.output();
    await app.stop();
    // No request, however bad, may end in a server error.
    expect(output).not.toMatch(/"status":5\d\d/);
  });

  describe('upload', () => {
    it('should attach an image to a message of the caller and show it nested in the message', async () => {
      const messageId = await newMessage(owner, roomId);

      const response = await uploadTo(owner, { message_id: messageId }, await pngFile('holiday.png'));

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        message_id: messageId,
        room_id: roomId,
        image: expect.stringMatching(/^\/media\/images\/[A-Za-z0-9_-]{32}\.png$/),
        width: 30,
        height: 20,
        name: 'holiday.png',
        size: expect.any(Number),
        thumbnail: expect.stringMatching(/^\/media\/images\/[A-Za-z0-9_-]{32}\.webp$/),
        placeholder: expect.stringMatching(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/),
      });
      expect(existsSync(fileOf(response.body.image))).toBe(true);
      expect(existsSync(fileOf(response.body.thumbnail))).toBe(true);
      for (const viewer of [owner, member]) {
        const message = await getMessage(viewer, roomId, messageId);
        expect(message.status).toBe(200);
        expect(message.body.images).toEqual([response.body]);
      }
      const listed = await as(member).get(`/api/v1/chat/rooms/${roomId}/messages/`);
      expect(listed.body.results.find((m: { id: string }) => m.id === messageId).images).toEqual([response.body]);
    });

    it('should create an empty message of the caller for an image sent with room_id', async () => {
      const before = await messageCount(owner, roomId);

      const response = await uploadTo(owner, { room_id: roomId });

      expect(response.status).toBe(201);
      expect(response.body.room_id).toBe(roomId);
      const message = await getMessage(owner, roomId, response.body.message_id);
      expect(message.body).toMatchObject({ body: '', user_id: owner.id, is_me: true, images: [response.body] });
      expect(await messageCount(owner, roomId)).toBe(before + 1);
    });

    it('should let anyone who can see a public room send an image to it, making them a member', async () => {
      const publicRoom = await newRoom(owner, { is_public: true });

      const response = await uploadTo(outsider, { room_id: publicRoom });

      expect(response.status).toBe(201);
      const users = await as(outsider).get(`/api/v1/chat/rooms/${publicRoom}/users/`);
      expect(users.body.map((user: { user_id: string }) => user.user_id)).toContain(outsider.id);
    });

    it('should serve the file without auth, with its content type, length and cache headers', async () => {
      const uploaded = await uploadTo(owner, { room_id: roomId });

      const { response, data } = await fetchFile(uploaded.body.image);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Number(response.headers.get('content-length'))).toBe(uploaded.body.size);
      expect(data.length).toBe(uploaded.body.size);
      expect(await sharp(data).metadata()).toMatchObject({ format: 'png', width: 30, height: 20 });
    });

    it('should keep JPEG, WebP and GIF in their format and serve each with its content type', async () => {
      for (const [format, type, extension] of [
        ['jpeg', 'image/jpeg', 'jpg'],
        ['webp', 'image/webp', 'webp'],
        ['gif', 'image/gif', 'gif'],
      ] as const) {
        const data = await solid(12, 8).toFormat(format).toBuffer();
        // A misleading name and content type change nothing: the bytes decide.
        const response = await uploadTo(owner, { room_id: roomId }, { data, name: 'file.bin', type: 'text/plain' });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ width: 12, height: 8, name: 'file.bin' });
        expect(response.body.image.endsWith(`.${extension}`)).toBe(true);
        const served = await fetchFile(response.body.image);
        expect(served.response.headers.get('content-type')).toBe(type);
        expect((await sharp(served.data).metadata()).format).toBe(format);
      }
    });

    it('should apply the EXIF orientation: a 40x20 JPEG with orientation 6 is 20 wide and 40 high', async () => {
      const data = await solid(40, 20).withMetadata({ orientation: 6 }).jpeg().toBuffer();

      const response = await uploadTo(owner, { room_id: roomId }, { data, name: 'rotated.jpg', type: 'image/jpeg' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ width: 20, height: 40 });
      const served = await sharp((await fetchFile(response.body.image)).data).metadata();
      expect(served).toMatchObject({ width: 20, height: 40 });
      expect(served.orientation).toBeUndefined();
    });

    it('should strip GPS and all other metadata from the stored and served file', async () => {
      const data = await solid(40, 30)
        .withExif({
          IFD0: { Make: 'SecretCam', Model: 'Spy 3000' },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '51/1 30/1 12/1',
            GPSLongitudeRef: 'W',
            GPSLongitude: '0/1 7/1 0/1',
          },
        })
        .jpeg()
        .toBuffer();
      const sent = await sharp(data).metadata();
      expect(sent.exif).toBeDefined();
      expect(data.includes('SecretCam')).toBe(true);

      const response = await uploadTo(owner, { room_id: roomId }, { data, name: 'where.jpg', type: 'image/jpeg' });

      expect(response.status).toBe(201);
      const { data: served } = await fetchFile(response.body.image);
      const metadata = await sharp(served).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
      expect(metadata.iptc).toBeUndefined();
      expect(served.includes('SecretCam')).toBe(false);
      expect(served.includes('Exif')).toBe(false);
    });

    it('should store the sanitized original file name', async () => {
      const cases: [string, string][] = [
        ['Čaj ☕ s přáteli.png', 'Čaj ☕ s přáteli.png'],
        ['../../etc/passwd.png', 'passwd.png'],
        ['evil\u202Egnp.exe', 'evilgnp.exe'],
        [`${'a'.repeat(300)}.png`, `${'a'.repeat(251)}.png`],
      ];
      for (const [sent, stored] of cases) {
        const response = await uploadTo(owner, { room_id: roomId }, await pngFile(sent));
        expect(response.status).toBe(201);
        expect(response.body.name).toBe(stored);
      }
    });
  });

  describe('thumbnails and placeholders', () => {
    /** The stored thumbnail of an upload, as served: status, headers and what it decodes to. */
    async function thumbnailOf(image: { thumbnail: string }) {
      const { response, data } = await fetchFile(image.thumbnail);
      expect(response.status).toBe(200);
      return { response, data, metadata: await sharp(data).metadata() };
    }

    it('should make a WebP thumbnail of a 2000x1500 JPEG of 320x240, served without auth and cached for good', async () => {
      const data = await jpeg(2000, 1500);

      const uploaded = await uploadTo(owner, { room_id: roomId }, { data, name: 'big.jpg', type: 'image/jpeg' });

      expect(uploaded.status).toBe(201);
      expect(uploaded.body).toMatchObject({ width: 2000, height: 1500 });
      const { response, data: served, metadata } = await thumbnailOf(uploaded.body);
      expect(metadata).toMatchObject({ format: 'webp', width: 320, height: 240 });
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Number(response.headers.get('content-length'))).toBe(served.length);
      expect(uploaded.body.thumbnail).not.toBe(uploaded.body.image);
    });

    it('should keep the aspect ratio of a tall image and never enlarge a small one', async () => {
      for (const [width, height, thumbWidth, thumbHeight] of [
        [300, 900, 107, 320],
        [330, 100, 320, 97],
        [30, 20, 30, 20],
      ]) {
        const uploaded = await uploadTo(
          owner,
          { room_id: roomId },
          { data: await png(width, height), name: 'p.png', type: 'image/png' },
        );
        expect(uploaded.status).toBe(201);
        expect((await thumbnailOf(uploaded.body)).metadata).toMatchObject({
          format: 'webp',
          width: thumbWidth,
          height: thumbHeight,
        });
      }
    });

    it('should give a placeholder of at most 1 KB that decodes to a tiny WebP', async () => {
      const noisy = await sharp(randomBytes(400 * 300 * 3), { raw: { width: 400, height: 300, channels: 3 } })
        .jpeg()
        .toBuffer();
      for (const data of [noisy, await jpeg(2000, 1500)]) {
        const { placeholder } = (
          await uploadTo(owner, { room_id: roomId }, { data, name: 'n.jpg', type: 'image/jpeg' })
        ).body;
        expect(placeholder.length).toBeLessThanOrEqual(1024);
        const [, base64] = /^data:image\/webp;base64,([A-Za-z0-9+/]+=*)$/.exec(placeholder)!;
        const metadata = await sharp(Buffer.from(base64, 'base64')).metadata();
        expect(metadata.format).toBe('webp');
        expect(Math.max(metadata.width, metadata.height)).toBeLessThanOrEqual(16);
      }
    });

    it('should show the thumbnail and placeholder in message lists as in the image itself', async () => {
      const uploaded = (await uploadTo(owner, { room_id: roomId })).body;
      const message = await getMessage(member, roomId, uploaded.message_id);
      expect(message.body.images).toEqual([uploaded]);
      expect((await as(owner).get(`${IMAGES}${uploaded.id}/`)).body).toEqual(uploaded);
    });

    it('should delete the thumbnail with its image, its message and its room', async () => {
      const alone = (await uploadTo(owner, { room_id: roomId })).body;
      expect(existsSync(fileOf(alone.thumbnail))).toBe(true);
      expect((await as(owner).delete(`${IMAGES}${alone.id}/`)).status).toBe(204);
      expect(existsSync(fileOf(alone.thumbnail))).toBe(false);
      expect((await fetchFile(alone.thumbnail)).response.status).toBe(404);

      const withMessage = (await uploadTo(owner, { room_id: roomId })).body;
      const deleted = await as(owner).delete(`/api/v1/chat/rooms/${roomId}/messages/${withMessage.message_id}/`);
      expect(deleted.status).toBe(204);
      expect(existsSync(fileOf(withMessage.thumbnail))).toBe(false);
      expect((await fetchFile(withMessage.thumbnail)).response.status).toBe(404);

      const room = await newRoom(owner);
      const inRoom = (await uploadTo(owner, { room_id: room })).body;
      expect((await as(owner).delete(`/api/v1/chat/rooms/${room}/`)).status).toBe(204);
      expect(existsSync(fileOf(inRoom.thumbnail))).toBe(false);
    });
  });

  describe('bad uploads', () => {
    /** Each bad upload is refused in the error shape and leaves no message, row or file behind. */
    async function expectRefused(response: Promise<ApiResponse>, status: number, field: string | undefined) {
      const messagesBefore = await messageCount(owner, roomId);
      const imagesBefore = (await as(owner).get(IMAGES)).body.count;
      const filesBefore = storedFileCount();
      const answer = await response;
      expect(answer.status).toBe(status);
      expect(errorCodes(answer)).toHaveLength(1);
      if (field !== undefined) {
        expect(answer.body.errors[0].field).toBe(field);
      }
      expect(await messageCount(owner, roomId)).toBe(messagesBefore);
      expect((await as(owner).get(IMAGES)).body.count).toBe(imagesBefore);
      expect(storedFileCount()).toBe(filesBefore);
      return answer;
    }

    it('should refuse a fake PNG named .png with type image/png', async () => {
      const data = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.from('definitely not pixels')]);
      const answer = await expectRefused(
        uploadTo(owner, { room_id: roomId }, { data, name: 'fake.png', type: 'image/png' }),
        400,
        'image',
      );
      expect(answer.body.errors[0].code).toBe('invalid');
    });

    it('should refuse a text file, an SVG and a TIFF', async () => {
      const text = { data: Buffer.from('just some notes\n'), name: 'notes.txt', type: 'text/plain' };
      const svg = {
        data: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(1)</script></svg>',
        ),
        name: 'x.svg',
        type: 'image/svg+xml',
      };
      const tiff = { data: await solid(9, 9).tiff().toBuffer(), name: 'x.tif', type: 'image/tiff' };
      for (const file of [text, svg, tiff]) {
        await expectRefused(uploadTo(owner, { room_id: roomId }, file), 400, 'image');
      }
    });

    it('should refuse a truncated JPEG', async () => {
      const data = await jpeg(300, 200);
      const truncated = data.subarray(0, Math.floor(data.length / 2));
      await expectRefused(
        uploadTo(owner, { room_id: roomId }, { data: truncated, name: 'cut.jpg', type: 'image/jpeg' }),
        400,
        'image',
      );
    });

    it('should refuse a decompression bomb over the pixel limit with 413', async () => {
      // 100 megapixels of one colour compress to a few hundred kilobytes.
      const data = await sharp({
        create: { width: 10_000, height: 10_000, channels: 3, background: '#000' },
        limitInputPixels: false,
      })
        .png({ compressionLevel: 9 })
        .toBuffer();
      expect(data.length).toBeLessThan(UPLOAD_LIMIT);
      const answer = await expectRefused(
        uploadTo(owner, { room_id: roomId }, { data, name: 'bomb.png', type: 'image/png' }),
        413,
        'image',
      );
      expect(answer.body.errors[0]).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringMatching(/pixels/),
      });
    });

    it('should refuse a file over the upload size limit with 413', async () => {
      const data = Buffer.alloc(UPLOAD_LIMIT + 1, 7);
      const answer = await expectRefused(
        uploadTo(owner, { room_id: roomId }, { data, name: 'big.png', type: 'image/png' }),
        413,
        'image',
      );
      expect(answer.body.errors[0].code).toBe('payload_too_large');
    });

    it('should require the file, in the field image', async () => {
      await expectRefused(upload(owner, { room_id: roomId }, []), 400, 'image');
      await expectRefused(
        upload(owner, { room_id: roomId }, [{ field: 'photo', file: await pngFile() }]),
        400,
        'photo',
      );
      await expectRefused(as(owner).post(IMAGES, { room_id: roomId }), 400, 'image');
    });

    it('should refuse more than one file', async () => {
      const file = await pngFile();
      await expectRefused(upload(owner, { room_id: roomId }, [{ file }, { file }]), 400, 'image');
    });

    it('should want exactly one of message_id and room_id, each a valid id', async () => {
      const messageId = await newMessage(owner, roomId);
      const neither = await expectRefused(uploadTo(owner, {}), 400, 'message_id');
      expect(neither.body.errors[0].code).toBe('required');
      await expectRefused(uploadTo(owner, { message_id: messageId, room_id: roomId }), 400, 'room_id');
      await expectRefused(uploadTo(owner, { room_id: 'not-an-id' }), 400, 'room_id');
      await expectRefused(uploadTo(owner, { message_id: '' }), 400, 'message_id');
      await expectRefused(uploadTo(owner, { room_id: roomId, extra: 'x' }), 400, 'extra');
    });

    it('should refuse a malformed multipart body with a 4xx in the error shape', async () => {
      const boundary = 'x-boundary';
      const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="room_id"\r\n\r\n${roomId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`;
      const cases: [string, string, number][] = [
        ['multipart/form-data', 'no boundary at all', 400],
        [`multipart/form-data; boundary=${boundary}`, truncated, 400],
        [`multipart/form-data; boundary=${boundary}`, 'garbage without any part', 400],
        [`multipart/mixed; boundary=${boundary}`, truncated, 415],
      ];
      for (const [type, body, status] of cases) {
        await expectRefused(
          request(app, 'POST', IMAGES, { token: owner.token, raw: body, headers: { 'content-type': type } }),
          status,
          undefined,
        );
      }
    });

    it('should refuse the image sent as a text field', async () => {
      await expectRefused(upload(owner, { room_id: roomId, image: 'not a file' }, []), 400, 'image');
    });

    it('should refuse an upload without a valid token with 401', async () => {
      await expectRefused(upload(null, { room_id: roomId }, [{ file: await pngFile() }]), 401, undefined);
    });
  });

  describe('who may attach', () => {
    it('should refuse attaching to a message of someone else the caller can see with 403', async () => {
      const messageId = await newMessage(owner, roomId);
      const response = await uploadTo(member, { message_id: messageId });
      expect(response.status).toBe(403);
      expect(errorCodes(response)).toEqual(['permission_denied']);
      expect((await getMessage(owner, roomId, messageId)).body.images).toEqual([]);
    });

    it('should answer a message the caller cannot see, or that does not exist, with 400 on message_id', async () => {
      const messageId = await newMessage(owner, roomId);
      for (const id of [messageId, '00000000-0000-4000-8000-000000000000']) {
        const response = await uploadTo(outsider, { message_id: id });
        expect(response.status).toBe(400);
        expect(response.body.errors[0]).toMatchObject({ code: 'invalid', field: 'message_id' });
      }
      expect((await getMessage(owner, roomId, messageId)).body.images).toEqual([]);
    });

    it('should answer a room the caller cannot see, or that does not exist, with 404', async () => {
      const before = await messageCount(owner, roomId);
      for (const id of [roomId, '00000000-0000-4000-8000-000000000000']) {
        const response = await uploadTo(outsider, { room_id: id });
        expect(response.status).toBe(404);
        expect(errorCodes(response)).toEqual(['not_found']);
      }
      expect(await messageCount(owner, roomId)).toBe(before);
    });

    it('should refuse attaching an image to a reaction', async () => {
      const messageId = await newMessage(member, roomId);
      const reaction = await as(owner).post(`/api/v1/chat/rooms/${roomId}/messages/`, {
        body: '+',
        parent_id: messageId,
        is_reaction: true,
      });
      const response = await uploadTo(owner, { message_id: reaction.body.id });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('message_id');
    });
  });

  describe('list and get', () => {
    it("should list only the caller's own images, newest first, paginated", async () => {
      const lister = await newUser(app);
      const room = await newRoom(lister, { users: [member.id] });
      const first = await uploadTo(lister, { room_id: room });
      const second = await uploadTo(lister, { room_id: room });
      await uploadTo(member, { room_id: room });

      const all = await as(lister).get(IMAGES);
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ count: 2, next: null, previous: null, results: [second.body, first.body] });

      const page = await as(lister).get(`${IMAGES}?limit=1`);
      expect(page.body.count).toBe(2);
      expect(page.body.results).toEqual([second.body]);
      expect(page.body.next).toMatch(/limit=1&offset=1$/);
      const next = await as(lister).get(new URL(page.body.next).pathname + new URL(page.body.next).search);
      expect(next.body.results).toEqual([first.body]);
      expect(next.body.previous).not.toBeNull();

      expect((await as(lister).get('/api/v1/chat/images')).status).toBe(200);
      for (const bad of ['limit=abc', 'limit=-1', 'offset=1.5', 'limit=0']) {
        const response = await as(lister).get(`${IMAGES}?${bad}`);
        expect(response.status).toBe(400);
        expect(errorCodes(response)).toEqual(['invalid']);
      }
    });

    it('should show an image to its owner only: 404 for anyone else', async () => {
      const uploaded = await uploadTo(owner, { room_id: roomId });
      const path = `${IMAGES}${uploaded.body.id}/`;

      const mine = await as(owner).get(path);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual(uploaded.body);
      expect((await as(owner).get(`${IMAGES}${uploaded.body.id}`)).status).toBe(200);

      for (const user of [member, outsider]) {
        const response = await as(user).get(path);
        expect(response.status).toBe(404);
        expect(errorCodes(response)).toEqual(['not_found']);
      }
      expect((await as(owner).get(`${IMAGES}not-an-id/`)).status).toBe(404);
      expect((await api(app).get(path)).status).toBe(401);
    });
  });

  describe('move', () => {
    it('should move an image to another message of the owner with PUT and with PATCH', async () => {
      const from = await newMessage(owner, roomId, 'first');
      const to = await newMessage(owner, roomId, 'second');
      const image = (await uploadTo(owner, { message_id: from })).body;

      const moved = await as(owner).put(`${IMAGES}${image.id}/`, { message_id: to });
      expect(moved.status).toBe(200);
      expect(moved.body).toEqual({ ...image, message_id: to });
      expect((await getMessage(owner, roomId, from)).body.images).toEqual([]);
      expect((await getMessage(owner, roomId, to)).body.images).toEqual([moved.body]);

      const back = await as(owner).patch(`${IMAGES}${image.id}/`, { message_id: from });
      expect(back.status).toBe(200);
      expect(back.body.message_id).toBe(from);
    });

    it('should move an image to a message of the owner in another room', async () => {
      const otherRoom = await newRoom(owner);
      const target = await newMessage(owner, otherRoom);
      const image = (await uploadTo(owner, { message_id: await newMessage(owner, roomId) })).body;

      const moved = await as(owner).patch(`${IMAGES}${image.id}/`, { message_id: target });

      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ message_id: target, room_id: otherRoom });
    });

    it('should delete the message an image leaves with neither body nor images', async () => {
      const image = (await uploadTo(owner, { room_id: roomId })).body;
      const target = await newMessage(owner, roomId);
      const before = await messageCount(owner, roomId);

      const moved = await as(owner).patch(`${IMAGES}${image.id}/`, { message_id: target });

      expect(moved.status).toBe(200);
      expect((await getMessage(owner, roomId, image.message_id)).status).toBe(404);
      expect(await messageCount(owner, roomId)).toBe(before - 1);
      expect((await fetchFile(image.image)).response.status).toBe(200);
    });

    it('should refuse moving to a message of someone else, one not visible, or a bad id', async () => {
      const image = (await uploadTo(owner, { message_id: await newMessage(owner, roomId) })).body;
      const path = `${IMAGES}${image.id}/`;

      const othersMessage = await as(owner).put(path, { message_id: await newMessage(member, roomId) });
      expect(othersMessage.status).toBe(403);

      const hiddenRoom = await newRoom(outsider, { is_public: false });
      const hidden = await as(owner).put(path, { message_id: await newMessage(outsider, hiddenRoom) });
      expect(hidden.status).toBe(400);
      expect(hidden.body.errors[0].field).toBe('message_id');

      for (const body of [{}, { message_id: 'nope' }, { message_id: null }, { message_id: image.message_id, x: 1 }]) {
        const response = await as(owner).patch(path, body);
        expect(response.status).toBe(400);
      }
      expect((await as(owner).get(path)).body).toEqual(image);
    });

    it('should answer 404 to anyone but the owner, and move nothing', async () => {
      const image = (await uploadTo(owner, { message_id: await newMessage(owner, roomId) })).body;
      const target = await newMessage(member, roomId);
      for (const user of [member, outsider]) {
        for (const method of ['put', 'patch'] as const) {
          const response = await as(user)[method](`${IMAGES}${image.id}/`, { message_id: target });
          expect(response.status).toBe(404);
          expect(errorCodes(response)).toEqual(['not_found']);
        }
      }
      expect((await as(owner).get(`${IMAGES}${image.id}/`)).body).toEqual(image);
    });
  });

  describe('delete', () => {
    it('should delete the image and its file, and keep a message that has a body', async () => {
      const messageId = await newMessage(owner, roomId);
      const image = (await uploadTo(owner, { message_id: messageId })).body;
      expect(existsSync(fileOf(image.image))).toBe(true);

      const response = await as(owner).delete(`${IMAGES}${image.id}/`);

      expect(response.status).toBe(204);
      expect(existsSync(fileOf(image.image))).toBe(false);
      expect((await as(owner).get(`${IMAGES}${image.id}/`)).status).toBe(404);
      const served = await fetchFile(image.image);
      expect(served.response.status).toBe(404);
      expect(served.response.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
      const message = await getMessage(owner, roomId, messageId);
      expect(message.status).toBe(200);
      expect(message.body.images).toEqual([]);
    });

    it('should delete the message the last image leaves empty, and keep one with images left', async () => {
      const first = (await uploadTo(owner, { room_id: roomId })).body;
      const second = (await uploadTo(owner, { message_id: first.message_id })).body;

      expect((await as(owner).delete(`${IMAGES}${first.id}/`)).status).toBe(204);
      expect((await getMessage(owner, roomId, first.message_id)).body.images).toEqual([second]);

      expect((await as(owner).delete(`${IMAGES}${second.id}/`)).status).toBe(204);
      expect((await getMessage(owner, roomId, first.message_id)).status).toBe(404);
    });

    it('should answer 404 to anyone but the owner, and delete nothing', async () => {
      const image = (await uploadTo(owner, { room_id: roomId })).body;
      for (const user of [member, outsider]) {
        const response = await as(user).delete(`${IMAGES}${image.id}/`);
        expect(response.status).toBe(404);
        expect(errorCodes(response)).toEqual(['not_found']);
      }
      expect((await as(owner).get(`${IMAGES}${image.id}/`)).status).toBe(200);
      expect(existsSync(fileOf(image.image))).toBe(true);
    });

    it('should remove the files when their message is deleted', async () => {
      const messageId = await newMessage(owner, roomId);
      const image = (await uploadTo(owner, { message_id: messageId })).body;

      expect((await as(owner).delete(`/api/v1/chat/rooms/${roomId}/messages/${messageId}/`)).status).toBe(204);

      expect(existsSync(fileOf(image.image))).toBe(false);
      expect((await fetchFile(image.image)).response.status).toBe(404);
      expect((await as(owner).get(`${IMAGES}${image.id}/`)).status).toBe(404);
    });

    it('should remove the files when their room is deleted', async () => {
      const room = await newRoom(owner, { users: [member.id] });
      const mine = (await uploadTo(owner, { room_id: room })).body;
      const theirs = (await uploadTo(member, { room_id: room })).body;

      expect((await as(owner).delete(`/api/v1/chat/rooms/${room}/`)).status).toBe(204);

      for (const image of [mine, theirs]) {
        expect(existsSync(fileOf(image.image))).toBe(false);
      }
    });
  });

  describe('file serving', () => {
    it('should answer an unknown or malformed key with 404 in the error shape', async () => {
      const uploaded = (await uploadTo(owner, { room_id: roomId })).body;
      const key: string = uploaded.image.split('/').pop();
      const paths = [
        `/media/images/${'A'.repeat(32)}.png`,
        `/media/images/${key.replace(/\.png$/, '.jpg')}`,
        `/media/images/${key.slice(0, 31)}.png`,
        `/media/images/${key}x`,
        `/media/images/${key.slice(0, 2)}/${key}`,
        '/media/images/..%2F..%2Fpgdata%2FPG_VERSION',
        '/media/images/%2e%2e%2f%2e%2e%2fpgdata',
        '/media/images/..%5C..%5Cpgdata',
        '/media/images/',
        '/media/jwt-secret',
      ];
      for (const path of paths) {
        const response = await request(app, 'GET', path);
        expect(response.status).toBe(404);
        expect(errorCodes(response)).toEqual(['not_found']);
      }
    });

    it('should never serve a file that no image has, even when it is on disk', async () => {
      const key = `${randomBytes(24).toString('base64url')}.png`;
      mkdirSync(join(app.dataDir, 'media', key.slice(0, 2)), { recursive: true });
      writeFileSync(join(app.dataDir, 'media', key.slice(0, 2), key), await png());

      const response = await request(app, 'GET', `/media/images/${key}`);

      expect(response.status).toBe(404);
      expect(errorCodes(response)).toEqual(['not_found']);
    });
  });

  describe('OpenAPI', () => {
    it('should document every image route, the multipart body and the file route', async () => {
      const schema = (await api(app).get('/api/v1/schema')).body;
      const images = schema.paths['/api/v1/chat/images'];
      expect(Object.keys(images).sort()).toEqual(['get', 'post']);
      expect(Object.keys(schema.paths['/api/v1/chat/images/{imageId}']).sort()).toEqual([
        'delete',
        'get',
        'patch',
        'put',
      ]);
      const body = images.post.requestBody.content['multipart/form-data'].schema;
      const properties = body.properties ?? schema.components.schemas[body.$ref.split('/').pop()].properties;
      expect(properties.image).toMatchObject({ format: 'binary' });
      expect(Object.keys(properties)).toEqual(expect.arrayContaining(['message_id', 'room_id']));
      expect(Object.keys(images.post.responses)).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '404', '413']),
      );
      expect(schema.paths['/media/images/{key}'].get.responses['404']).toBeDefined();
    });

    it('should document the thumbnail URL and the placeholder data URI, both nullable', async () => {
      const schema = (await api(app).get('/api/v1/schema')).body;
      const { thumbnail, placeholder } = schema.components.schemas.ImageDto.properties;
      expect(JSON.stringify(thumbnail)).toMatch(/"uri(-reference)?"/);
      expect(JSON.stringify(thumbnail)).toContain('null');
      expect(placeholder).toMatchObject({
        pattern: expect.stringMatching(/^\^data:image\/webp;base64,/),
        maxLength: 1024,
      });
      expect(JSON.stringify(placeholder)).toContain('null');
      expect(schema.components.schemas.ImageDto.required).toEqual(expect.arrayContaining(['thumbnail', 'placeholder']));
    });
  });
});
