import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { startApp, startIsolatedApp, TestApp } from './helpers/app';
import { api, errorCodes, request } from './helpers/api';
import { newUser, newUsers } from './helpers/factories';

const run = promisify(execFile);
/** A client address of its own per test: with Redis, failed sign-ins are counted across runs. */
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const MAIN = resolve(__dirname, '..', 'dist', 'src', 'main.js');

describe('foundation', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp({ TRUST_PROXY: 'true', AUTH_MAX_FAILURES: '3' });
  });

  afterAll(async () => {
    await app.stop();
  });

  describe('health', () => {
    it('should answer 200 ok once migrated', async () => {
      const response = await api(app).get('/health');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('should tell the request id and the server time of every response', async () => {
      const response = await api(app).get('/api/v1/nothing-here/');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d+)?$/);
    });
  });

  describe('auth', () => {
    it('should register, issue a token and tell who the caller is', async () => {
      const user = await newUser(app, { first_name: 'Alice' });
      const me = await api(app, user.token).get('/api/v1/auth/users/me/');
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id: user.id, username: user.username, first_name: 'Alice', email: '' });
      expect(JSON.stringify(me.body)).not.toMatch(/password/);
    });

    it('should answer with and without a trailing slash', async () => {
      const user = await newUser(app);
      expect((await api(app, user.token).get('/api/v1/auth/users/me')).status).toBe(200);
      expect((await api(app, user.token).get('/api/v1/auth/users/me/')).status).toBe(200);
    });

    it('should refuse a taken username in any letter case with 409', async () => {
      const user = await newUser(app);
      const response = await api(app).post('/api/v1/auth/users/', {
        username: user.username.toUpperCase(),
        password: 'long enough password',
      });
      expect(response.status).toBe(409);
      expect(response.body.errors[0]).toMatchObject({ code: 'conflict', field: 'username' });
    });

    it('should name the field of each validation error', async () => {
      const missing = await api(app).post('/api/v1/auth/users/', { password: 'long enough password' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ code: 'required', field: 'username' })]);

      const short = await api(app).post('/api/v1/auth/users/', { username: 'bob_short', password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.errors[0].field).toBe('password');

      const badName = await api(app).post('/api/v1/auth/users/', { username: 'bad name!', password: 'long enough pw' });
      expect(badName.body.errors[0].field).toBe('username');

      const unknown = await api(app).post('/api/v1/auth/users/', {
        username: 'someone_x',
        password: 'long enough pw',
        is_admin: true,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ code: 'unknown_field', field: 'is_admin' })]);

      const wrongType = await api(app).post('/api/v1/auth/users/', { username: 42, password: 'long enough pw' });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.errors[0].field).toBe('username');
    });

    it('should refuse wrong credentials with 401 and the same answer for unknown users', async () => {
      const user = await newUser(app);
      const headers = { 'x-forwarded-for': newAddress() };
      const wrong = await api(app).post(
        '/api/v1/auth/token/',
        { username: user.username, password: 'nope' },
        { headers },
      );
      const ghost = await api(app).post(
        '/api/v1/auth/token/',
        { username: 'ghost_user', password: 'nope' },
        { headers },
      );
      expect(wrong.status).toBe(401);
      expect(ghost.status).toBe(401);
      expect(wrong.body).toEqual(ghost.body);
    });

    it('should rate limit failed sign-ins per address without locking the user out elsewhere', async () => {
      const user = await newUser(app);
      const attacker = { headers: { 'x-forwarded-for': newAddress() } };
      for (let i = 0; i < 3; i++) {
        const response = await api(app).post(
          '/api/v1/auth/token/',
          { username: user.username, password: 'x' },
          attacker,
        );
        expect(response.status).toBe(401);
      }
      const blocked = await api(app).post(
        '/api/v1/auth/token/',
        { username: user.username, password: user.password },
        attacker,
      );
      expect(blocked.status).toBe(429);
      expect(errorCodes(blocked)).toEqual(['throttled']);

      const elsewhere = await api(app).post(
        '/api/v1/auth/token/',
        { username: user.username, password: user.password },
        { headers: { 'x-forwarded-for': newAddress() } },
      );
      expect(elsewhere.status).toBe(200);
    });

    it('should refuse a missing, malformed, forged, expired or alg=none token with 401', async () => {
      const user = await newUser(app);
      const secret = readFileSync(join(app.dataDir, 'jwt-secret'), 'utf8');
      const payload = jwt.decode(user.token) as { sub: string; tv: number };
      const expired = jwt.sign({ sub: payload.sub, tv: payload.tv, exp: Math.floor(Date.now() / 1000) - 10 }, secret);
      const forged = jwt.sign({ sub: payload.sub, tv: payload.tv }, 'another secret that is long enough!!');
      const none = jwt.sign({ sub: payload.sub, tv: payload.tv }, '', { algorithm: 'none' });
      const hs512 = jwt.sign({ sub: payload.sub, tv: payload.tv }, secret, { algorithm: 'HS512' });
      for (const token of [undefined, 'garbage', expired, forged, none, hs512]) {
        const response = await api(app, token).get('/api/v1/auth/users/me/');
        expect(response.status).toBe(401);
        expect(errorCodes(response)).toEqual(['not_authenticated']);
      }
    });

    it('should check each token of a burst on its own: every user answered as themselves, stale and unknown ones refused', async () => {
      const users = await newUsers(app, 3);
      const secret = readFileSync(join(app.dataDir, 'jwt-secret'), 'utf8');
      const { sub, tv } = jwt.decode(users[0].token) as { sub: string; tv: number };
      const stale = jwt.sign({ sub, tv: tv + 1 }, secret, { expiresIn: 600 });
      const unknown = jwt.sign({ sub: '00000000-0000-4000-8000-000000000000', tv }, secret, { expiresIn: 600 });
      const tokens = [...users, ...users, ...users].map((user) => user.token);
      const burst = [...tokens.slice(0, 4), stale, ...tokens.slice(4), unknown];
      const answers = await Promise.all(burst.map((token) => api(app, token).get('/api/v1/auth/users/me/')));
      burst.forEach((token, index) => {
        const owner = users.find((user) => user.token === token);
        if (owner) {
          expect(answers[index]).toMatchObject({ status: 200, body: { id: owner.id, username: owner.username } });
        } else {
          expect(answers[index].status).toBe(401);
        }
      });
    });

    it('should issue HS256 tokens with an expiry', async () => {
      const user = await newUser(app);
      const decoded = jwt.decode(user.token, { complete: true }) as jwt.Jwt;
      expect(decoded.header.alg).toBe('HS256');
      expect((decoded.payload as jwt.JwtPayload).exp).toBeGreaterThan(Date.now() / 1000);
    });
  });

  describe('errors', () => {
    it('should answer an unknown route with 404 in the error shape', async () => {
      const response = await api(app).get('/api/v1/nothing-here/');
      expect(response.status).toBe(404);
      expect(errorCodes(response)).toEqual(['not_found']);
    });

    it('should answer malformed JSON with 400', async () => {
      const response = await request(app, 'POST', '/api/v1/auth/token/', {
        raw: '{"username": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toEqual(['malformed_json']);
    });

    it('should answer a JSON body over the limit with 413', async () => {
      const response = await request(app, 'POST', '/api/v1/auth/users/', {
        raw: JSON.stringify({ username: 'big', password: 'x'.repeat(2 * 1024 * 1024) }),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(413);
      expect(errorCodes(response)).toEqual(['payload_too_large']);
    });

    it('should refuse a JSON array or scalar body with 400', async () => {
      for (const raw of ['[]', '"text"', 'null']) {
        const response = await request(app, 'POST', '/api/v1/auth/token/', {
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expect(response.status).toBe(400);
        errorCodes(response);
      }
    });
  });

  describe('OpenAPI', () => {
    it('should serve the schema with the auth routes and the error shape', async () => {
      const response = await api(app).get('/api/v1/schema/');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/token', '/api/v1/auth/users', '/api/v1/auth/users/me', '/health']),
      );
      expect(response.body.components.schemas.ErrorResponseDto).toBeDefined();
    });

    it('should document every route of the contract, with the error shape on its errors', async () => {
      const { paths } = (await api(app).get('/api/v1/schema/')).body as {
        paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
      };
      const expected: Record<string, string[]> = {
        '/api/v1/chat/rooms': ['get', 'post'],
        '/api/v1/chat/rooms/{roomId}': ['delete', 'get', 'patch', 'put'],
        '/api/v1/chat/rooms/{roomId}/mute': ['post'],
        '/api/v1/chat/rooms/{roomId}/unmute': ['post'],
        '/api/v1/chat/rooms/{roomId}/users': ['get', 'post'],
        '/api/v1/chat/rooms/{roomId}/users/names': ['get'],
        '/api/v1/chat/rooms/{roomId}/users/{userId}': ['delete', 'get', 'patch', 'put'],
        '/api/v1/chat/rooms/{roomId}/messages': ['get', 'post'],
        '/api/v1/chat/rooms/{roomId}/messages/seen': ['post'],
        '/api/v1/chat/rooms/{roomId}/messages/{messageId}': ['delete', 'get', 'patch', 'put'],
        '/api/v1/chat/images': ['get', 'post'],
        '/api/v1/chat/images/{imageId}': ['delete', 'get', 'patch', 'put'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        expect(Object.keys(paths[path] ?? {}).sort()).toEqual(methods);
        for (const method of methods) {
          const unauthorized = paths[path][method].responses['401'];
          expect(JSON.stringify(unauthorized)).toContain('ErrorResponseDto');
        }
      }
    });

    it('should serve the Swagger UI from the installed package', async () => {
      const response = await api(app).get('/api/v1/swagger/');
      expect(response.status).toBe(200);
      expect(response.body).toContain('swagger-ui');
      expect(response.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
      const bundle = await api(app).get('/api/v1/swagger/swagger-ui-bundle.js');
      expect(bundle.status).toBe(200);
    });
  });
});

describe('start-up and shutdown', () => {
  it('should stop on a bad variable with one line naming it', async () => {
    for (const [name, value] of [
      ['PORT', 'abc'],
      ['DATABASE_URL', 'not a url'],
      ['REDIS_URL', 'http://x'],
    ]) {
      const failure = await run(process.execPath, [MAIN], { env: { PATH: process.env.PATH, [name]: value } }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure).toMatchObject({ code: 1 });
      const stderr = (failure as { stderr: string }).stderr.trim();
      expect(stderr.split('\n')).toHaveLength(1);
      expect(stderr).toContain(name);
    }
  });

  it('should refuse to start in production without JWT_SECRET', async () => {
    const failure = await run(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('JWT_SECRET');
  });

  it('should keep the generated secret across restarts and exit 0 on SIGTERM', async () => {
    const first = await startIsolatedApp();
    const user = await newUser(first);
    const dataDir = first.dataDir;
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toContain('shutting down');
    expect(user.token).toBeTruthy();
  });

  it('should refuse sign-up when it is turned off', async () => {
    const closed = await startIsolatedApp({ SIGNUP_ENABLED: 'false' });
    try {
      const response = await api(closed).post('/api/v1/auth/users/', {
        username: 'nobody',
        password: 'long enough pw',
      });
      expect(response.status).toBe(403);
      expect(errorCodes(response)).toEqual(['signup_disabled']);
    } finally {
      await closed.stop();
    }
  });

  it('should stop at once with one clear line on an embedded data folder holding other files', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dfchat-stray-'));
    mkdirSync(join(dataDir, 'pgdata'));
    writeFileSync(join(dataDir, 'pgdata', 'notes.txt'), 'not a database');
    const failure = await run(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0' },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    const { stdout, stderr } = failure;
    expect(stderr.trim()).toBe(
      `df-chat: failed to start: ${join(dataDir, 'pgdata')} holds files but no database (no PG_VERSION): move them away or use another DATA_DIR`,
    );
    // No retries: waiting would not change the folder.
    expect(stdout).not.toContain('Retrying');
    expect(readdirSync(join(dataDir, 'pgdata'))).toEqual(['notes.txt']);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should restart on the same embedded data and keep users and tokens valid', async () => {
    if (process.env.DATABASE_URL) {
      // The same property on PostgreSQL is covered by every multi-instance test sharing a database.
      return;
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'dfchat-restart-'));
    const first = await startApp({ dataDir });
    const user = await newUser(first);
    await first.stop();
    const second = await startApp({ dataDir });
    try {
      expect((await api(second, user.token).get('/api/v1/auth/users/me/')).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
