import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse, errorCodes, request } from './helpers/api';
import { expectError } from './helpers/expectations';
import { newMessage, newReaction, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

/** Whatever a client sends, the answer is a clear 4xx in the error shape, never a 5xx. */

const ROOMS = '/api/v1/chat/rooms';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Ids {
  room: string;
  message: string;
  user: string;
}

interface Route {
  method: Method;
  /** With `{room}`, `{message}` and `{user}` where the ids go. */
  path: string;
  /** A valid body, so that only what is under test is wrong. */
  body?: (caller: TestUser) => Record<string, unknown>;
}

const ROUTES: Route[] = [
  { method: 'GET', path: `${ROOMS}/` },
  { method: 'POST', path: `${ROOMS}/`, body: () => ({ title: 'room', description: '', is_public: false, users: [] }) },
  { method: 'GET', path: `${ROOMS}/{room}/` },
  { method: 'PUT', path: `${ROOMS}/{room}/`, body: () => ({ title: 'room', description: 'd', is_public: true }) },
  { method: 'PATCH', path: `${ROOMS}/{room}/`, body: () => ({ title: 'room' }) },
  { method: 'DELETE', path: `${ROOMS}/{room}/` },
  { method: 'POST', path: `${ROOMS}/{room}/mute/` },
  { method: 'POST', path: `${ROOMS}/{room}/unmute/` },
  { method: 'GET', path: `${ROOMS}/{room}/users/` },
  { method: 'POST', path: `${ROOMS}/{room}/users/`, body: (caller) => ({ user_id: caller.id }) },
  { method: 'GET', path: `${ROOMS}/{room}/users/names/` },
  { method: 'GET', path: `${ROOMS}/{room}/users/{user}/` },
  { method: 'PUT', path: `${ROOMS}/{room}/users/{user}/`, body: () => ({ is_active: true }) },
  { method: 'PATCH', path: `${ROOMS}/{room}/users/{user}/`, body: () => ({ is_active: true }) },
  { method: 'DELETE', path: `${ROOMS}/{room}/users/{user}/` },
  { method: 'GET', path: `${ROOMS}/{room}/messages/` },
  { method: 'POST', path: `${ROOMS}/{room}/messages/`, body: () => ({ body: 'hi', is_reaction: false }) },
  { method: 'POST', path: `${ROOMS}/{room}/messages/seen/`, body: () => ({ message_ids: [] }) },
  { method: 'GET', path: `${ROOMS}/{room}/messages/{message}/` },
  { method: 'PUT', path: `${ROOMS}/{room}/messages/{message}/`, body: () => ({ body: 'edited' }) },
  { method: 'PATCH', path: `${ROOMS}/{room}/messages/{message}/`, body: () => ({ body: 'edited' }) },
  { method: 'DELETE', path: `${ROOMS}/{room}/messages/{message}/` },
  { method: 'GET', path: '/api/v1/auth/users/me/' },
  {
    method: 'POST',
    path: '/api/v1/auth/users/',
    body: () => ({ username: `u${Date.now()}${Math.random()}`.replace('.', ''), password: 'long enough pw' }),
  },
  { method: 'POST', path: '/api/v1/auth/token/', body: (caller) => ({ username: caller.username, password: 'wrong' }) },
];

/** Path segments that are not ids of anything: each must be a 404 wherever an id goes. */
const NOT_IDS = [
  'not-an-id',
  '0',
  '-1',
  '1.5',
  'null',
  'undefined',
  'true',
  '%00',
  '%20',
  "1'%20OR%20'1'%3D'1",
  '%3Bdrop%20table%20rooms',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%92%A9',
  '%7B%7B7*7%7D%7D',
  '__proto__',
  'constructor',
  'a'.repeat(2000),
  UNKNOWN_ID,
  UNKNOWN_ID.replace(/-/g, ''),
  `%7B${UNKNOWN_ID}%7D`,
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
  `${UNKNOWN_ID}0`,
];

/** Values for any one field: wrong types, extremes and injection attempts. */
const HOSTILE_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  true,
  [],
  {},
  [[[]]],
  { $gt: '' },
  'x'.repeat(20_000),
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  UNKNOWN_ID,
  [UNKNOWN_ID],
  ['not-an-id'],
  Array.from({ length: 2000 }, () => UNKNOWN_ID),
];

/** Whole bodies, sent raw as JSON. */
const HOSTILE_RAW_BODIES = [
  '',
  'null',
  '[]',
  '"text"',
  '123',
  'true',
  '{',
  '{"a": }',
  '{"__proto__": {"is_admin": true}}',
  '{"constructor": {"prototype": {"is_admin": true}}}',
  '{"title": "x", "title": "y"}',
  `{"a": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  '{"body": "\\ud800"}',
  '\u0000',
];

const HOSTILE_QUERIES = [
  'limit[]=1',
  'limit=1e2',
  'limit=0x10',
  'limit=99999999999999999999',
  'offset=-0',
  'offset=%00',
  'before[]=x',
  'before=',
  'after=%00',
  'parent_id=%F0%9F%92%A9',
  '__proto__=1',
  'constructor=1',
  'toString=1',
  'limit=1&limit=2',
  '%E0%A4%A=1',
];

describe('bad input', () => {
  let app: TestApp;
  let owner: TestUser;
  let member: TestUser;
  let ids: Ids;
  let foreignMessage: string;

  beforeAll(async () => {
    app = await startIsolatedApp();
    [owner, member] = await newUsers(app, 2);
    const room = await newRoom(app, owner, { is_public: false, users: [member] });
    const message = await newMessage(app, owner, room.id, { body: 'original' });
    await newReaction(app, member, message);
    await newMessage(app, member, room.id, { parent_id: message.id });
    ids = { room: room.id, message: message.id, user: member.id };
    const elsewhere = await newRoom(app, owner, { is_public: false });
    foreignMessage = (await newMessage(app, owner, elsewhere.id)).id;
  });

  afterAll(async () => {
    await app?.stop();
  });

  const pathWith = (route: Route, replaced: Partial<Ids>) =>
    route.path
      .replace('{room}', replaced.room ?? ids.room)
      .replace('{message}', replaced.message ?? ids.message)
      .replace('{user}', replaced.user ?? ids.user);

  const send = (route: Route, path: string, options: { body?: unknown; raw?: string; token?: string } = {}) =>
    request(app, route.method, path, {
      token: options.token ?? owner.token,
      body: options.raw === undefined ? (options.body ?? route.body?.(owner)) : undefined,
      raw: options.raw,
      headers: options.raw === undefined ? undefined : { 'content-type': 'application/json' },
    });

  /** No 5xx, and every 4xx in the error shape. */
  function expectHandled(response: ApiResponse, what: string): void {
    if (response.status >= 500 || (response.status >= 400 && !Array.isArray(response.body?.errors))) {
      throw new Error(`${what} answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    }
    if (response.status >= 400) {
      errorCodes(response);
    }
  }

  describe('ids in paths', () => {
    const placeholders = (['room', 'message', 'user'] as const).flatMap((placeholder) =>
      ROUTES.filter((route) => route.path.includes(`{${placeholder}}`)).map((route) => [placeholder, route] as const),
    );

    it.each(placeholders.map(([placeholder, route]) => [route.method, route.path, placeholder, route] as const))(
      'should answer %s %s with 404 for a %s id that is malformed or unknown',
      async (_method, _path, placeholder, route) => {
        for (const notAnId of NOT_IDS) {
          const response = await send(route, pathWith(route, { [placeholder]: notAnId }));
          expect({ id: notAnId.slice(0, 40), status: response.status }).toEqual({
            id: notAnId.slice(0, 40),
            status: 404,
          });
          expect(errorCodes(response)).toEqual(['not_found']);
        }
      },
    );

    it('should answer 404 for a message of another room and for a user who is not in the room', async () => {
      const stranger = await newUser(app);
      for (const route of ROUTES.filter((item) => item.path.includes('{message}'))) {
        expectError(await send(route, pathWith(route, { message: foreignMessage })), 404);
        expectError(await send(route, pathWith(route, { message: ids.room })), 404);
      }
      for (const route of ROUTES.filter((item) => item.path.includes('{user}'))) {
        expectError(await send(route, pathWith(route, { user: stranger.id })), 404);
        expectError(await send(route, pathWith(route, { user: ids.message })), 404);
      }
      expect((await api(app, owner.token).get(`${ROOMS}/${ids.room}/messages/${ids.message}/`)).body.body).toBe(
        'original',
      );
    });
  });

  describe('bodies', () => {
    const bodyRoutes = ROUTES.filter((route) => route.body && route.path.startsWith(ROOMS));

    it.each(bodyRoutes.map((route) => [route.method, route.path, route] as const))(
      'should answer %s %s with 400 naming an unknown field, and with 400 for a non-object body',
      async (_method, _path, route) => {
        const path = pathWith(route, {});
        const codes = expectError(
          await send(route, path, { body: { ...route.body!(owner), surprise: 1 } }),
          400,
          'surprise',
        );
        expect(codes).toEqual(['unknown_field']);
        for (const raw of ['[]', '"text"', '123', 'null']) {
          expectError(await send(route, path, { raw }), 400);
        }
      },
    );

    it.each(bodyRoutes.map((route) => [route.method, route.path, route] as const))(
      'should answer %s %s with 400 naming each field sent with a wrong type',
      async (_method, _path, route) => {
        const valid = route.body!(owner);
        const wrongTypes: Record<string, unknown[]> = {
          title: [5, true, ['x'], { a: 1 }, null],
          description: [5, false, ['x'], null],
          is_public: ['true', 1, 'yes', [], null],
          users: ['x', 5, [5], [null], { 0: UNKNOWN_ID }, null],
          user_id: [5, ['x'], 'x', true, null],
          is_active: ['true', 0, null, []],
          body: [5, false, ['x'], { text: 'x' }, null],
          is_reaction: ['true', 1, [], null],
          message_ids: ['x', 5, [5], ['x'], null, { length: 1 }],
        };
        for (const field of Object.keys(valid)) {
          for (const value of wrongTypes[field]) {
            const response = await send(route, pathWith(route, {}), { body: { ...valid, [field]: value } });
            expect({ field, value, status: response.status }).toEqual({ field, value, status: 400 });
            expectError(response, 400, field);
          }
        }
      },
    );

    it('should name a missing required field', async () => {
      const cases: [Route, string][] = [
        [ROUTES[1], 'title'],
        [ROUTES[3], 'title'],
        [ROUTES[9], 'user_id'],
        [ROUTES[12], 'is_active'],
        [ROUTES[13], 'is_active'],
        [ROUTES[16], 'body'],
        [ROUTES[17], 'message_ids'],
        [ROUTES[19], 'body'],
        [ROUTES[20], 'body'],
      ];
      for (const [route, field] of cases) {
        expect(route.body!(owner)).toHaveProperty(field);
        const codes = expectError(await send(route, pathWith(route, {}), { body: {} }), 400, field);
        expect(codes).toContain('required');
      }
    });

    it('should refuse a body that is not JSON with 415 and one nested too deep or with reserved keys with 400', async () => {
      const path = `${ROOMS}/`;
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const response = await request(app, 'POST', path, {
          token: owner.token,
          raw: contentType.includes('form') ? 'title=x' : '{"title": "x"}',
          headers: { 'content-type': contentType },
        });
        expect(response.status).toBe(415);
        expect(errorCodes(response)).toEqual(['unsupported_media_type']);
      }
      const deep = await request(app, 'POST', path, {
        token: owner.token,
        raw: `{"title": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expectError(deep, 400);
      for (const raw of ['{"title": "x", "__proto__": {"is_public": false}}', '{"title": "x", "constructor": {}}']) {
        const codes = expectError(
          await request(app, 'POST', path, {
            token: owner.token,
            raw,
            headers: { 'content-type': 'application/json' },
          }),
          400,
        );
        expect(codes).toEqual(['unknown_field']);
      }
      const mine = (await api(app, owner.token).get(`${ROOMS}/?limit=200`)).body.results;
      expect(mine.map((room: { title: string }) => room.title)).not.toContain('x');
    });
  });

  describe('hostile requests', () => {
    it('should answer every route, with hostile ids, bodies, fields and queries, without a server error', async () => {
      const responses: Promise<void>[] = [];
      const check = (what: string, pending: Promise<ApiResponse>) => {
        responses.push(pending.then((response) => expectHandled(response, what)));
      };
      for (const route of ROUTES) {
        const label = `${route.method} ${route.path}`;
        for (const placeholder of ['room', 'message', 'user'] as const) {
          if (route.path.includes(`{${placeholder}}`)) {
            for (const hostile of [...NOT_IDS, '%E0%A4%A', '%', 'x%2F..%2F..']) {
              check(
                `${label} ${placeholder}=${hostile.slice(0, 30)}`,
                send(route, pathWith(route, { [placeholder]: hostile })),
              );
            }
          }
        }
        if (route.method === 'GET') {
          for (const query of HOSTILE_QUERIES) {
            check(`${label}?${query}`, send(route, `${pathWith(route, {})}?${query}`));
          }
        }
        for (const token of [
          '',
          'Bearer',
          'x'.repeat(5000),
          `${owner.token}x`,
          owner.token.split('.').slice(0, 2).join('.'),
        ]) {
          check(`${label} token ${token.slice(0, 20)}`, send(route, pathWith(route, {}), { token }));
        }
        if (route.method === 'GET' || route.method === 'DELETE') {
          continue;
        }
        for (const raw of HOSTILE_RAW_BODIES) {
          check(`${label} raw ${raw.slice(0, 30)}`, send(route, pathWith(route, {}), { raw }));
        }
        const valid = route.body?.(owner) ?? {};
        for (const field of [...Object.keys(valid), 'extra']) {
          for (const value of HOSTILE_VALUES) {
            check(
              `${label} ${field}=${JSON.stringify(value).slice(0, 30)}`,
              send(route, pathWith(route, {}), { body: { ...valid, [field]: value } }),
            );
          }
        }
        // A few at a time: enough to overlap, not so many as to queue behind one another for long.
        if (responses.length > 40) {
          await Promise.all(responses.splice(0));
        }
      }
      await Promise.all(responses);
      expect((await api(app, member.token).get(`${ROOMS}/${ids.room}/`)).status).toBe(200);
    });
  });
});
