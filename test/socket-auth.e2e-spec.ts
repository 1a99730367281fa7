import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import jwt from 'jsonwebtoken';
import { redisPrefixOf, startApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { createTestDatabase, TestDatabase, usingPostgres } from './helpers/database';
import { newRoom, newUser, TestUser } from './helpers/factories';
import { connect, sleep, TestSocket } from './helpers/ws';

const CLI = resolve(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
const JWT_SECRET = randomBytes(32).toString('base64url');
const TOKEN_ENDED = 4401;

/** Live sockets and their tokens: the token in a header, and closing when it expires or is revoked. */
describe('authentication of live sockets', () => {
  let app: TestApp;
  let database: TestDatabase | undefined;
  const sockets: TestSocket[] = [];
  const open = async (token: string | undefined, headers: Record<string, string> = {}) => {
    const socket = await connect(app, token, '/api/v1/chat/ws/', headers);
    sockets.push(socket);
    return socket;
  };
  /** A token of the user's that expires in `seconds`, signed as the app signs them. */
  const shortToken = (user: TestUser, seconds: number) => {
    const { sub, tv } = jwt.decode(user.token) as { sub: string; tv: number };
    return jwt.sign({ sub, tv }, JWT_SECRET, { algorithm: 'HS256', expiresIn: seconds });
  };
  /** Runs the admin CLI on the app's database; resolves with its exit code and output. */
  const cli = (args: string[], input: string) =>
    new Promise<{ code: number | null; output: string }>((done, fail) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          DATA_DIR: app.dataDir,
          DATABASE_URL: database?.url,
          REDIS_URL: process.env.REDIS_URL,
          REDIS_PREFIX: redisPrefixOf(database, app.dataDir),
          JWT_SECRET,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', fail);
      child.once('close', (code) => done({ code, output }));
      child.stdin.end(input);
    });

  beforeAll(async () => {
    database = usingPostgres() ? await createTestDatabase() : undefined;
    app = await startApp({ database, env: { JWT_SECRET } });
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  describe('the token in an Authorization header', () => {
    it('should accept a Bearer token in the header and push to that socket', async () => {
      const alice = await newUser(app);
      const room = await newRoom(app, alice);
      const socket = await open(undefined, { authorization: `Bearer ${alice.token}` });
      const sent = await api(app, alice.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'hello' });
      await socket.waitFor((frame) => (frame.messages ?? []).some((message) => message.id === sent.body.id));
    });

    it('should refuse a bad header, even beside a good token in the query', async () => {
      const alice = await newUser(app);
      const expired = jwt.sign(
        { ...(jwt.decode(alice.token) as object), exp: Math.floor(Date.now() / 1000) - 5 },
        JWT_SECRET,
      );
      for (const authorization of ['Bearer garbage', `Basic ${alice.token}`, 'Bearer', `Bearer ${expired}`]) {
        await expect(connect(app, undefined, '/api/v1/chat/ws/', { authorization })).rejects.toMatchObject({
          status: 401,
        });
      }
      await expect(
        connect(app, alice.token, '/api/v1/chat/ws/', { authorization: 'Bearer garbage' }),
      ).rejects.toMatchObject({ status: 401 });
    });
  });

  describe('closing with 4401', () => {
    it('should close a socket when its token expires', async () => {
      const alice = await newUser(app);
      const opened = Date.now();
      const socket = await open(shortToken(alice, 2));
      const closed = await socket.closed;
      const after = Date.now() - opened;
      expect(closed).toEqual({ code: TOKEN_ENDED, reason: 'Token expired' });
      // `exp` has whole seconds: the token had between 1 and 2 s left when the socket opened.
      expect(after).toBeGreaterThanOrEqual(900);
      expect(after).toBeLessThan(4000);
    });

    it('should keep a socket whose token is still good open', async () => {
      const alice = await newUser(app);
      const socket = await open(alice.token, { authorization: `Bearer ${shortToken(alice, 60)}` });
      await sleep(3000); // more than a token recheck
      expect(socket.raw.readyState).toBe(socket.raw.OPEN);
    });

    it(`should close within 5 s the sockets of a user whose password the CLI changed (${usingPostgres() ? 'beside the app' : 'refused while the app runs'})`, async () => {
      const [alice, bob] = [await newUser(app), await newUser(app)];
      const [first, second, bobs] = [await open(alice.token), await open(alice.token), await open(bob.token)];
      const changed = await cli(['user:set-password', alice.username], 'a brand new password\n');
      if (!usingPostgres()) {
        // The embedded database is one process's: no password can change under a running app.
        expect(changed.code).toBe(1);
        expect(changed.output).toMatch(/in use by another process/);
        await sleep(2500);
        expect(first.raw.readyState).toBe(first.raw.OPEN);
        return;
      }
      expect(changed).toMatchObject({ code: 0 });
      const since = Date.now();
      for (const socket of [first, second]) {
        expect(await socket.closed).toEqual({ code: TOKEN_ENDED, reason: 'Token revoked' });
      }
      expect(Date.now() - since).toBeLessThan(5000);
      expect(bobs.raw.readyState).toBe(bobs.raw.OPEN);

      await expect(connect(app, alice.token)).rejects.toMatchObject({ status: 401 });
      const signedIn = await api(app).post('/api/v1/auth/token/', {
        username: alice.username,
        password: 'a brand new password',
      });
      const fresh = await open(signedIn.body.token);
      await sleep(3000); // more than a token recheck
      expect(fresh.raw.readyState).toBe(fresh.raw.OPEN);
    });
  });
});
