import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api, errorCodes } from './helpers/api';
import { newMessage, newRoom, newUser } from './helpers/factories';
import { connect } from './helpers/ws';

const ME = '/api/v1/auth/users/me/';
const SIGN_IN = '/api/v1/auth/token/';
const SESSION = '/chat/session';
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** The status a websocket upgrade with this token gets: 101 when accepted. */
async function upgradeStatus(app: TestApp, token: string): Promise<number> {
  try {
    const socket = await connect(app, token);
    await socket.close();
    return 101;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

async function startSession(app: TestApp, token: string, headers: Record<string, string> = {}) {
  const started = await api(app).post(SESSION, { token }, { headers });
  expect(started.status).toBe(204);
  return started.headers.get('set-cookie') ?? '';
}

describe('sessions', () => {
  /** Default configuration: no proxy trusted, no forced Secure cookie. */
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp({ AUTH_MAX_FAILURES: '3' });
  });

  afterAll(async () => {
    await app.stop();
  });

  describe('tokens', () => {
    it('should refuse a correctly signed token without exp with 401, over REST, the socket and the pages', async () => {
      const user = await newUser(app);
      const secret = readFileSync(join(app.dataDir, 'jwt-secret'), 'utf8');
      const { sub, tv } = jwt.decode(user.token) as { sub: string; tv: number };
      const forever = jwt.sign({ sub, tv }, secret, { algorithm: 'HS256' });
      expect((jwt.decode(forever) as { exp?: number }).exp).toBeUndefined();

      const me = await api(app, forever).get(ME);
      expect(me.status).toBe(401);
      expect(errorCodes(me)).toEqual(['not_authenticated']);
      expect(await upgradeStatus(app, forever)).toBe(401);
      expect((await api(app).post(SESSION, { token: forever })).status).toBe(401);

      const withExp = jwt.sign({ sub, tv }, secret, { algorithm: 'HS256', expiresIn: 600 });
      expect((await api(app, withExp).get(ME)).status).toBe(200);
    });

    it("should revoke the session's token on sign-out from the pages: it then gets 401 everywhere", async () => {
      const user = await newUser(app);
      const cookie = `dfchat_session=${user.token}`;
      await startSession(app, user.token);
      expect((await api(app, user.token).get(ME)).status).toBe(200);

      const ended = await api(app).delete(SESSION, { headers: { cookie } });
      expect(ended.status).toBe(204);
      expect(ended.headers.get('set-cookie')).toMatch(/^dfchat_session=;/);

      const me = await api(app, user.token).get(ME);
      expect(me.status).toBe(401);
      expect(errorCodes(me)).toEqual(['not_authenticated']);
      expect(await upgradeStatus(app, user.token)).toBe(401);
      expect((await api(app).get(SESSION, { headers: { cookie } })).status).toBe(401);

      const again = await api(app).post(SIGN_IN, { username: user.username, password: user.password });
      expect(again.status).toBe(200);
      expect((await api(app, again.body.token).get(ME)).status).toBe(200);
    });

    it('should answer sign-out without a valid session with 204 and change nothing', async () => {
      const user = await newUser(app);
      for (const headers of [{}, { cookie: 'dfchat_session=garbage' }] as Record<string, string>[]) {
        expect((await api(app).delete(SESSION, { headers })).status).toBe(204);
      }
      expect((await api(app, user.token).get(ME)).status).toBe(200);
    });
  });

  describe('ids in any letter case', () => {
    it('should find rooms and messages by upper-case ids in paths, queries and bodies', async () => {
      const owner = await newUser(app);
      const room = await newRoom(app, owner);
      const [first, second] = [await newMessage(app, owner, room.id), await newMessage(app, owner, room.id)];
      const ROOM = room.id.toUpperCase();
      const as = api(app, owner.token);

      const gotRoom = await as.get(`/api/v1/chat/rooms/${ROOM}/`);
      expect(gotRoom.status).toBe(200);
      expect(gotRoom.body.id).toBe(room.id);

      const gotMessage = await as.get(`/api/v1/chat/rooms/${ROOM}/messages/${first.id.toUpperCase()}/`);
      expect(gotMessage.status).toBe(200);
      expect(gotMessage.body.id).toBe(first.id);

      const edited = await as.patch(`/api/v1/chat/rooms/${ROOM}/messages/${first.id.toUpperCase()}/`, {
        body: 'edited',
      });
      expect(edited.status).toBe(200);
      expect(edited.body.body).toBe('edited');

      const older = await as.get(`/api/v1/chat/rooms/${ROOM}/messages/?before=${second.id.toUpperCase()}`);
      expect(older.status).toBe(200);
      expect(older.body.results.map((message: { id: string }) => message.id)).toEqual([first.id]);

      const reaction = await as.post(`/api/v1/chat/rooms/${ROOM}/messages/`, {
        body: '+',
        parent_id: second.id.toUpperCase(),
        is_reaction: true,
      });
      expect(reaction.status).toBe(201);
      expect(reaction.body.parent_id).toBe(second.id);

      const seen = await as.post(`/api/v1/chat/rooms/${ROOM}/messages/seen/`, {
        message_ids: [first.id.toUpperCase()],
      });
      expect(seen.status).toBe(200);
      expect(seen.body.message_ids).toEqual([first.id]);

      const member = await newUser(app);
      const added = await as.post(`/api/v1/chat/rooms/${ROOM}/users/`, { user_id: member.id.toUpperCase() });
      expect(added.status).toBe(201);
      expect(added.body.user_id).toBe(member.id);
      expect((await as.get(`/api/v1/chat/rooms/${ROOM}/users/${member.id.toUpperCase()}/`)).status).toBe(200);
    });
  });

  describe('the session cookie', () => {
    it('should not be Secure on plain HTTP, whatever an untrusted X-Forwarded-Proto says', async () => {
      const user = await newUser(app);
      expect(await startSession(app, user.token)).not.toMatch(/;\s*Secure/i);
      expect(await startSession(app, user.token, { 'x-forwarded-proto': 'https' })).not.toMatch(/;\s*Secure/i);
    });

    describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
      let proxied: TestApp;

      beforeAll(async () => {
        proxied = await startIsolatedApp({ TRUST_PROXY: 'loopback', AUTH_MAX_FAILURES: '3' });
      });

      afterAll(async () => {
        await proxied.stop();
      });

      it('should be Secure when the proxy says the request came over TLS', async () => {
        const user = await newUser(proxied);
        expect(await startSession(proxied, user.token, { 'x-forwarded-proto': 'https' })).toMatch(/;\s*Secure/i);
        expect(await startSession(proxied, user.token)).not.toMatch(/;\s*Secure/i);
      });

      it('should limit failed sign-ins by the address the proxy appended, not by what the client sent', async () => {
        const user = await newUser(proxied);
        const client = newAddress();
        const via = (claimed: string, real: string) => ({ headers: { 'x-forwarded-for': `${claimed}, ${real}` } });
        for (let i = 0; i < 3; i++) {
          const failed = await api(proxied).post(
            SIGN_IN,
            { username: user.username, password: 'wrong' },
            via(newAddress(), client),
          );
          expect(failed.status).toBe(401);
        }
        const blocked = await api(proxied).post(
          SIGN_IN,
          { username: user.username, password: user.password },
          via(newAddress(), client),
        );
        expect(blocked.status).toBe(429);
        expect(errorCodes(blocked)).toEqual(['throttled']);
        expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
        const elsewhere = await api(proxied).post(
          SIGN_IN,
          { username: user.username, password: user.password },
          via(client, newAddress()),
        );
        expect(elsewhere.status).toBe(200);
      });
    });

    describe('with COOKIE_SECURE=true', () => {
      let secure: TestApp;

      beforeAll(async () => {
        secure = await startIsolatedApp({ COOKIE_SECURE: 'true' });
      });

      afterAll(async () => {
        await secure.stop();
      });

      it('should be Secure even though the app itself sees plain HTTP', async () => {
        const user = await newUser(secure);
        const cookie = await startSession(secure, user.token);
        expect(cookie).toMatch(/;\s*Secure/i);
        const ended = await api(secure).delete(SESSION, { headers: { cookie: `dfchat_session=${user.token}` } });
        expect(ended.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
      });
    });
  });

  // Last: it blocks sign-ins from the test's own address for the rest of the window.
  describe('no proxy trusted (the default)', () => {
    it('should ignore X-Forwarded-For, so that rotating it does not escape the sign-in limiter', async () => {
      const user = await newUser(app);
      for (let i = 0; i < 3; i++) {
        const failed = await api(app).post(
          SIGN_IN,
          { username: user.username, password: 'wrong' },
          { headers: { 'x-forwarded-for': newAddress() } },
        );
        expect(failed.status).toBe(401);
      }
      const blocked = await api(app).post(
        SIGN_IN,
        { username: user.username, password: user.password },
        { headers: { 'x-forwarded-for': newAddress() } },
      );
      expect(blocked.status).toBe(429);
      expect(errorCodes(blocked)).toEqual(['throttled']);
    });
  });
});
