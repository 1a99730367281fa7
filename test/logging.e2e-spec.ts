import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { newUser } from './helpers/factories';
import { connect, sleep } from './helpers/ws';

interface LogLine {
  level: string;
  msg: string;
  request_id?: string;
  context?: string;
  url?: string;
  status?: number;
}

const linesOf = (app: TestApp): LogLine[] =>
  app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/** The log lines that match, once at least one has been written (lines may follow the response). */
async function waitForLines(app: TestApp, match: (line: LogLine) => boolean, count = 1): Promise<LogLine[]> {
  for (let tries = 0; tries < 100; tries++) {
    const found = linesOf(app).filter(match);
    if (found.length >= count) {
      return found;
    }
    await sleep(50);
  }
  throw new Error(`no such log line in:\n${app.output()}`);
}

describe('logging and the first hour', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp({ LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('should start with a few lines, the last ones saying where the pages and the API docs are', async () => {
    const last = 'AsyncAPI document (websocket)';
    await waitForLines(app, (line) => line.msg === last);
    const info = linesOf(app).filter((line) => line.level === 'info');
    const upToLast = info.slice(0, info.indexOf(info.find((line) => line.msg === last)!) + 1);
    expect(upToLast.length).toBeLessThanOrEqual(7);
    expect(upToLast.slice(-5).map((line) => [line.msg, line.url])).toEqual([
      ['listening', app.url],
      ['chat pages', `${app.url}/chat/`],
      ['API docs', `${app.url}/api/v1/swagger/`],
      ['OpenAPI document', `${app.url}/api/v1/schema/`],
      [last, `${app.url}/api/v1/asyncapi/`],
    ]);
  });

  it('should send the bare address to the chat', async () => {
    const response = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/chat/');
  });

  it('should put the request id on every line of a request and give it back', async () => {
    const response = await api(app).get('/api/v1/chat/rooms/', {
      headers: { 'x-request-id': 'edge-7f3a.42' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('edge-7f3a.42');

    const lines = await waitForLines(app, (line) => line.request_id === 'edge-7f3a.42', 2);
    // The filter's note about the mistake, written while the request was handled, and the request's line.
    expect(lines.map((line) => [line.level, line.context ?? line.msg])).toEqual([
      ['debug', 'HttpExceptionFilter'],
      ['warn', 'request'],
    ]);
    expect(lines[1]).toMatchObject({ status: 401, url: '/api/v1/chat/rooms/' });
  });

  it('should make up a request id when the incoming one is not a plain token', async () => {
    const response = await api(app).get('/health', { headers: { 'x-request-id': 'a b <script>' } });
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await waitForLines(app, (line) => line.request_id === id)).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request', status: 200 }),
    ]);
  });

  it('should never write a token, a cookie or a password to the log', async () => {
    const user = await newUser(app);
    const secrets = [user.token, user.password, 'cookie-value-9d1c', 'link-token-5be7', 'bad-bearer-aa31'];
    await api(app, user.token).get('/api/v1/auth/users/me/', { headers: { cookie: 'session=cookie-value-9d1c' } });
    await api(app).get('/api/v1/chat/rooms/', { headers: { authorization: 'Bearer bad-bearer-aa31' } });
    const page = await fetch(`${app.url}/chat/00000000-0000-4000-8000-000000000000/?token=link-token-5be7`);
    await page.text();
    await api(app).post('/api/v1/auth/token/', { username: user.username, password: 'wrong-password' });

    const lines = await waitForLines(app, (line) => line.url?.includes('token=[redacted]') ?? false);
    expect(lines[0].url).toBe('/chat/00000000-0000-4000-8000-000000000000/?token=[redacted]');
    await waitForLines(app, (line) => line.url === '/api/v1/auth/token/' && line.status === 401);
    for (const secret of secrets) {
      expect(app.output()).not.toContain(secret);
    }
  });

  it("should log a client's oversized websocket frame as a warning, not an error", async () => {
    const user = await newUser(app);
    const socket = await connect(app, user.token);
    socket.raw.send('x'.repeat(64 * 1024 + 1));
    expect((await socket.closed).code).toBe(1009);

    const [warning] = await waitForLines(app, (line) => /websocket client error/.test(line.msg));
    expect(warning).toMatchObject({ level: 'warn', msg: expect.stringContaining('Max payload size exceeded') });
    expect(linesOf(app).filter((line) => line.level === 'error')).toEqual([]);
  });
});
