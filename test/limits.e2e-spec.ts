import { randomBytes, randomInt } from 'node:crypto';
import sharp from 'sharp';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse, errorCodes, request } from './helpers/api';
import type { TestUser } from './helpers/factories';
import { connect, sleep } from './helpers/ws';

const IMAGES = '/api/v1/chat/images/';
const REGISTER = '/api/v1/auth/users/';
const SIGN_IN = '/api/v1/auth/token/';
const messagesOf = (roomId: string) => `/api/v1/chat/rooms/${roomId}/messages/`;

/** An address of a client behind the one trusted proxy (TRUST_PROXY=1), new per call. */
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
/** What a proxy that appends the address it saw sends, after whatever the client claimed. */
const fromBehindProxy = (clientClaims: string, realAddress: string) => ({
  headers: { 'x-forwarded-for': `${clientClaims}, ${realAddress}` },
});

const statuses = (responses: ApiResponse[]) => responses.map((response) => response.status).sort();

function expectThrottled(response: ApiResponse, maxSeconds: number): number {
  expect(response.status).toBe(429);
  expect(errorCodes(response)).toEqual(['throttled']);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

/** A noisy palette PNG: re-encoding it quantises a palette again, which takes a noticeable while. */
async function palettePng(width: number, height: number): Promise<Buffer> {
  const raw = randomBytes(width * height * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ palette: true, effort: 1 })
    .toBuffer();
}

describe('abuse limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp({
      TRUST_PROXY: '1',
      RATE_MESSAGES_PER_SECOND: '1',
      RATE_MESSAGES_BURST: '3',
      RATE_UPLOADS: '2',
      RATE_UPLOADS_WINDOW: '60',
      RATE_REGISTRATIONS: '2',
      RATE_REGISTRATIONS_WINDOW: '3600',
      WS_MAX_CONNECTIONS_PER_USER: '2',
      IMAGE_CONCURRENCY: '1',
      IMAGE_QUEUE_LENGTH: '0',
      MAX_PALETTE_PIXELS: '2000000',
      AUTH_MAX_FAILURES: '3',
    });
  });

  afterAll(async () => {
    await app.stop();
  });

  /** Registers and signs in a user from an address of its own, so that no registration budget runs out. */
  async function newUser(): Promise<TestUser> {
    const username = `user_${randomBytes(5).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const from = { headers: { 'x-forwarded-for': newAddress() } };
    const registered = await api(app).post(REGISTER, { username, password }, from);
    expect(registered.status).toBe(201);
    const signedIn = await api(app).post(SIGN_IN, { username, password }, from);
    expect(signedIn.status).toBe(200);
    return { id: registered.body.id, username, password, token: signedIn.body.token, first_name: '' };
  }

  async function newRoom(owner: TestUser): Promise<string> {
    const response = await api(app, owner.token).post('/api/v1/chat/rooms/', { title: 'Limits', is_public: true });
    expect(response.status).toBe(201);
    return response.body.id;
  }

  function upload(user: TestUser, roomId: string, data: Buffer): Promise<ApiResponse> {
    const form = new FormData();
    form.append('room_id', roomId);
    form.append('image', new Blob([new Uint8Array(data)], { type: 'image/png' }), 'picture.png');
    return request(app, 'POST', IMAGES, { token: user.token, raw: form });
  }

  describe('messages and reactions', () => {
    it('should let a user send a burst, then answer 429 throttled with Retry-After, per user', async () => {
      const [sender, other] = [await newUser(), await newUser()];
      const roomId = await newRoom(sender);
      const sent = await Promise.all(
        Array.from({ length: 5 }, (_, i) => api(app, sender.token).post(messagesOf(roomId), { body: `m${i}` })),
      );
      expect(statuses(sent)).toEqual([201, 201, 201, 429, 429]);
      const retryAfter = expectThrottled(
        sent.find((response) => response.status === 429)!,
        10,
      );

      // Another user's budget is their own.
      expect((await api(app, other.token).post(messagesOf(roomId), { body: 'mine' })).status).toBe(201);

      await sleep(retryAfter * 1000);
      expect((await api(app, sender.token).post(messagesOf(roomId), { body: 'again' })).status).toBe(201);
    });

    it('should count reactions in the same budget as messages', async () => {
      const [sender, author] = [await newUser(), await newUser()];
      const roomId = await newRoom(author);
      const parent = await api(app, author.token).post(messagesOf(roomId), { body: 'react to me' });
      expect(parent.status).toBe(201);
      const sent = await Promise.all([
        api(app, sender.token).post(messagesOf(roomId), { body: 'one' }),
        api(app, sender.token).post(messagesOf(roomId), { body: 'two' }),
        ...['+', '👍'].map((body) =>
          api(app, sender.token).post(messagesOf(roomId), { body, parent_id: parent.body.id, is_reaction: true }),
        ),
      ]);
      expect(statuses(sent)).toEqual([201, 201, 201, 429]);
    });
  });

  describe('uploads', () => {
    it('should allow RATE_UPLOADS uploads per user per window, then 429 with Retry-After', async () => {
      const user = await newUser();
      const roomId = await newRoom(user);
      const image = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#336699' } })
        .png()
        .toBuffer();
      expect((await upload(user, roomId, image)).status).toBe(201);
      expect((await upload(user, roomId, image)).status).toBe(201);
      const third = await upload(user, roomId, image);
      expect(expectThrottled(third, 60)).toBeGreaterThan(1);

      const other = await newUser();
      expect((await upload(other, await newRoom(other), image)).status).toBe(201);
    });
  });

  describe('image processing', () => {
    it('should refuse a decompression bomb quickly, before decoding it', async () => {
      const user = await newUser();
      const roomId = await newRoom(user);
      // 64 megapixels of one grey in a few hundred kilobytes: over the 40-megapixel default.
      const bomb = await sharp(Buffer.alloc(8000 * 8000), { raw: { width: 8000, height: 8000, channels: 1 } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const started = Date.now();
      const response = await upload(user, roomId, bomb);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(response.status).toBe(413);
      expect(response.body.errors[0]).toMatchObject({ code: 'payload_too_large', field: 'image' });
    });

    it('should refuse quickly a palette PNG whose quantising would exceed the CPU budget', async () => {
      const user = await newUser();
      const roomId = await newRoom(user);
      // 2.25 megapixels: under MAX_IMAGE_PIXELS, over MAX_PALETTE_PIXELS (2 megapixels here).
      const heavy = await sharp({ create: { width: 1500, height: 1500, channels: 3, background: '#884422' } })
        .png({ palette: true })
        .toBuffer();
      const started = Date.now();
      const response = await upload(user, roomId, heavy);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(response.status).toBe(413);
      expect(response.body.errors[0]).toMatchObject({ code: 'payload_too_large', field: 'image' });
      expect(response.body.errors[0].message).toMatch(/too much work/);
    });

    it('should answer 503 with Retry-After when the processing queue is full, and work again after', async () => {
      const users = await Promise.all(Array.from({ length: 4 }, () => newUser()));
      const rooms = await Promise.all(users.map((user) => newRoom(user)));
      const image = await palettePng(1000, 1000);
      // One image at a time and no queue (IMAGE_CONCURRENCY=1, IMAGE_QUEUE_LENGTH=0): while the first
      // is re-encoded, the others find the pool busy.
      const responses = await Promise.all(users.map((user, i) => upload(user, rooms[i], image)));
      const busy = responses.filter((response) => response.status === 503);
      expect(responses.filter((response) => response.status === 201).length).toBeGreaterThanOrEqual(1);
      expect(busy.length).toBeGreaterThanOrEqual(1);
      expect(busy.length + responses.filter((response) => response.status === 201).length).toBe(4);
      expect(errorCodes(busy[0])).toEqual(['service_unavailable']);
      const retryAfter = Number(busy[0].headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);

      const index = responses.indexOf(busy[0]);
      await sleep(retryAfter * 1000);
      expect((await upload(users[index], rooms[index], image)).status).toBe(201);
    });
  });

  describe('registrations', () => {
    it('should allow RATE_REGISTRATIONS per client address per window, whatever the client claims', async () => {
      const address = newAddress();
      const register = (claimed: string) =>
        api(app).post(
          REGISTER,
          { username: `reg_${randomBytes(5).toString('hex')}`, password: 'a long password' },
          fromBehindProxy(claimed, address),
        );
      expect((await register('1.1.1.1')).status).toBe(201);
      expect((await register('2.2.2.2')).status).toBe(201);
      // A new left-most X-Forwarded-For is still the same client: the proxy appended its real address.
      const third = await register('3.3.3.3');
      expect(expectThrottled(third, 3600)).toBeGreaterThan(60);

      const elsewhere = await api(app).post(
        REGISTER,
        { username: `reg_${randomBytes(5).toString('hex')}`, password: 'a long password' },
        fromBehindProxy('3.3.3.3', newAddress()),
      );
      expect(elsewhere.status).toBe(201);
    });
  });

  describe('TRUST_PROXY with a hop count', () => {
    it('should limit failed sign-ins by the address the trusted proxy saw, not the one the client sent', async () => {
      const user = await newUser();
      const address = newAddress();
      for (let i = 0; i < 3; i++) {
        const failed = await api(app).post(
          SIGN_IN,
          { username: user.username, password: 'wrong' },
          fromBehindProxy(newAddress(), address),
        );
        expect(failed.status).toBe(401);
      }
      const blocked = await api(app).post(
        SIGN_IN,
        { username: user.username, password: user.password },
        fromBehindProxy(newAddress(), address),
      );
      expectThrottled(blocked, 900);

      const elsewhere = await api(app).post(
        SIGN_IN,
        { username: user.username, password: user.password },
        fromBehindProxy(address, newAddress()),
      );
      expect(elsewhere.status).toBe(200);
    });
  });

  describe('websocket connections', () => {
    it('should close a connection over WS_MAX_CONNECTIONS_PER_USER with 1008, and count closed ones out', async () => {
      const [user, other] = [await newUser(), await newUser()];
      const first = await connect(app, user.token);
      const second = await connect(app, user.token);
      const third = await connect(app, user.token);
      expect(await third.closed).toMatchObject({ code: 1008 });

      const others = await connect(app, other.token);
      await sleep(300);
      expect(others.raw.readyState).toBe(others.raw.OPEN);

      await first.close();
      // The server counts the close when it sees it; a moment later there is room for one more.
      await sleep(200);
      const fourth = await connect(app, user.token);
      await sleep(300);
      expect(fourth.raw.readyState).toBe(fourth.raw.OPEN);
      await Promise.all([second.close(), fourth.close(), others.close()]);
    });
  });
});
