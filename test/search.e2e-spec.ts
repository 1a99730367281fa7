import { startApp, startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse } from './helpers/api';
import { createTestDatabase, usingPostgres } from './helpers/database';
import { expectError, expectMessageShape } from './helpers/expectations';
import { newMessage, newReaction, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

const SEARCH = '/api/v1/chat/search/';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('search', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIsolatedApp();
  });

  afterAll(async () => {
    await app?.stop();
  });

  const search = (user: TestUser, params: Record<string, string>) =>
    api(app, user.token).get(`${SEARCH}?${new URLSearchParams(params).toString()}`);
  const ids = (response: ApiResponse) => response.body.results.map((message: { id: string }) => message.id);
  const found = async (user: TestUser, params: Record<string, string>): Promise<string[]> => {
    const response = await search(user, params);
    expect(response.status).toBe(200);
    return ids(response);
  };
  const highlighted = (message: { body: string; matches: [number, number][] }) =>
    message.matches.map(([start, end]) => message.body.slice(start, end));

  it('should answer a page of Messages with matches, best match first, then newest', async () => {
    const user = await newUser(app);
    const room = await newRoom(app, user, { is_public: false });
    const once = await newMessage(app, user, room.id, { body: 'a long story about the zebra and many other animals' });
    const twice = await newMessage(app, user, room.id, { body: 'zebra zebra' });
    const olderSame = await newMessage(app, user, room.id, { body: 'the zebra' });
    const newerSame = await newMessage(app, user, room.id, { body: 'the zebra' });
    await newMessage(app, user, room.id, { body: 'nothing to see here' });

    const response = await search(user, { q: 'zebra' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ count: 4, next: null, previous: null });
    expect(ids(response)).toEqual([twice.id, newerSame.id, olderSame.id, once.id]);
    for (const result of response.body.results) {
      const { matches, ...message } = result;
      expectMessageShape(message);
      expect(message).toMatchObject({ room_id: room.id, is_me: true, is_reaction: false });
      expect(matches.length).toBeGreaterThan(0);
    }
    expect(response.body.results[0].matches).toEqual([
      [0, 5],
      [6, 11],
    ]);
  });

  it('should give match offsets in UTF-16 code units for non-ASCII text and every occurrence', async () => {
    const user = await newUser(app);
    const room = await newRoom(app, user, { is_public: false });
    const body = 'Déjà vu 🎉 — le CAFÉ crème, encore un café\nsur la Straße';
    await newMessage(app, user, room.id, { body });

    const [message] = (await search(user, { q: 'café' })).body.results;
    expect(message.body).toBe(body);
    expect(highlighted(message)).toEqual(['CAFÉ', 'café']);
    expect(message.matches[0]).toEqual([body.indexOf('CAFÉ'), body.indexOf('CAFÉ') + 4]);

    const [again] = (await search(user, { q: 'straße déjà' })).body.results;
    expect(highlighted(again)).toEqual(['Déjà', 'Straße']);
  });

  it('should take web search syntax: phrases, or, and excluded words', async () => {
    const user = await newUser(app);
    const room = await newRoom(app, user, { is_public: false });
    const phrase = await newMessage(app, user, room.id, { body: 'purple walrus dances' });
    const apart = await newMessage(app, user, room.id, { body: 'walrus is purple' });
    const other = await newMessage(app, user, room.id, { body: 'orange walrus' });

    expect(await found(user, { q: '"purple walrus"' })).toEqual([phrase.id]);
    expect((await found(user, { q: 'purple walrus' })).sort()).toEqual([phrase.id, apart.id].sort());
    expect((await found(user, { q: 'purple or orange' })).sort()).toEqual([phrase.id, apart.id, other.id].sort());
    expect(await found(user, { q: 'walrus -purple' })).toEqual([other.id]);
    expect(await found(user, { q: '!!! ...' })).toEqual([]);
  });

  it('should paginate like the other lists', async () => {
    const user = await newUser(app);
    const room = await newRoom(app, user, { is_public: false });
    const posted = [];
    for (let i = 0; i < 5; i++) {
      posted.push(await newMessage(app, user, room.id, { body: `pagination marmot ${i}` }));
    }
    const newestFirst = posted.map((message) => message.id).reverse();
    const first = await search(user, { q: 'marmot', limit: '2' });
    expect(first.body).toMatchObject({ count: 5, previous: null });
    expect(ids(first)).toEqual(newestFirst.slice(0, 2));
    const next = new URL(first.body.next);
    expect(next.pathname).toBe(SEARCH);
    expect(Object.fromEntries(next.searchParams)).toEqual({ q: 'marmot', limit: '2', offset: '2' });
    const second = await api(app, user.token).get(`${next.pathname}${next.search}`);
    expect(ids(second)).toEqual(newestFirst.slice(2, 4));
    expect(second.body.previous).not.toBeNull();
    const last = await search(user, { q: 'marmot', limit: '2', offset: '4' });
    expect(last.body).toMatchObject({ count: 5, next: null });
    expect(ids(last)).toEqual(newestFirst.slice(4));
    const beyond = await search(user, { q: 'marmot', offset: '10' });
    expect(beyond.body).toMatchObject({ count: 5, results: [] });
  });

  it('should search only the rooms the caller is a member of, or the one they name', async () => {
    const [me, other] = await newUsers(app, 2);
    const mine = await newRoom(app, me, { is_public: false });
    const shared = await newRoom(app, other, { is_public: false, users: [me] });
    const othersPrivate = await newRoom(app, other, { is_public: false });
    const othersPublic = await newRoom(app, other, { is_public: true });
    const inMine = await newMessage(app, me, mine.id, { body: 'ocelot in my room' });
    const inShared = await newMessage(app, other, shared.id, { body: 'ocelot in the shared room' });
    const secret = await newMessage(app, other, othersPrivate.id, { body: 'ocelot secret' });
    const inPublic = await newMessage(app, other, othersPublic.id, { body: 'ocelot in public' });

    const everywhere = await found(me, { q: 'ocelot' });
    expect(everywhere.sort()).toEqual([inMine.id, inShared.id].sort());
    expect(everywhere).not.toContain(secret.id);
    expect(everywhere).not.toContain(inPublic.id);

    expect(await found(me, { q: 'ocelot', room_id: shared.id })).toEqual([inShared.id]);
    expect(await found(me, { q: 'ocelot', room_id: othersPublic.id })).toEqual([inPublic.id]);
    expectError(await search(me, { q: 'ocelot', room_id: othersPrivate.id }), 404);
    expectError(await search(me, { q: 'ocelot', room_id: UNKNOWN_ID }), 404);
    expectError(await search(me, { q: 'ocelot', room_id: 'not-an-id' }), 404);
    expect(await found(other, { q: 'ocelot' })).toHaveLength(3);

    // A member who leaves stops finding the room's messages unless the room is public and named.
    expect((await api(app, me.token).delete(`/api/v1/chat/rooms/${shared.id}/users/${me.id}/`)).status).toBe(204);
    expect(await found(me, { q: 'ocelot' })).toEqual([inMine.id]);
    expectError(await search(me, { q: 'ocelot', room_id: shared.id }), 404);
  });

  it('should never match reactions, and forget deleted and edited text', async () => {
    const user = await newUser(app);
    const room = await newRoom(app, user, { is_public: false });
    const message = await newMessage(app, user, room.id, { body: 'hello there' });
    await newReaction(app, user, message, 'narwhal');
    expect(await found(user, { q: 'narwhal' })).toEqual([]);

    const doomed = await newMessage(app, user, room.id, { body: 'axolotl to delete' });
    const edited = await newMessage(app, user, room.id, { body: 'axolotl to edit' });
    expect((await found(user, { q: 'axolotl' })).sort()).toEqual([doomed.id, edited.id].sort());
    const messages = `/api/v1/chat/rooms/${room.id}/messages`;
    expect((await api(app, user.token).delete(`${messages}/${doomed.id}/`)).status).toBe(204);
    expect((await api(app, user.token).patch(`${messages}/${edited.id}/`, { body: 'now a capybara' })).status).toBe(
      200,
    );
    expect(await found(user, { q: 'axolotl' })).toEqual([]);
    const [changed] = (await search(user, { q: 'capybara' })).body.results;
    expect(changed).toMatchObject({ id: edited.id, body: 'now a capybara', matches: [[6, 14]] });
  });

  it('should answer 400 in the error shape for a bad q, limit or offset', async () => {
    const user = await newUser(app);
    expectError(await api(app, user.token).get(SEARCH), 400, 'q');
    expectError(await search(user, { q: '' }), 400, 'q');
    expectError(await search(user, { q: '   ' }), 400, 'q');
    expectError(await search(user, { q: 'x'.repeat(257) }), 400, 'q');
    expect((await search(user, { q: 'x'.repeat(256) })).status).toBe(200);
    expectError(await api(app, user.token).get(`${SEARCH}?q=a&q=b`), 400, 'q');
    for (const limit of ['abc', '-1', '0', '1.5']) {
      expectError(await search(user, { q: 'word', limit }), 400, 'limit');
    }
    for (const offset of ['abc', '-1', '1.5']) {
      expectError(await search(user, { q: 'word', offset }), 400, 'offset');
    }
    expectError(await search(user, { q: 'word', sort: 'x' }), 400, 'sort');
    expect((await search(user, { q: 'word', limit: '1000' })).status).toBe(200);
    expect((await api(app).get(`${SEARCH}?q=word`)).status).toBe(401);
  });
});

describe('search in the OpenAPI document', () => {
  it('should document the route, its parameters, its errors and matches', async () => {
    const app = await startIsolatedApp();
    try {
      const { paths, components } = (await api(app).get('/api/v1/schema/')).body;
      const route = paths['/api/v1/chat/search'].get;
      expect(route.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
        'limit',
        'offset',
        'q',
        'room_id',
      ]);
      for (const status of ['400', '401', '404']) {
        expect(JSON.stringify(route.responses[status])).toContain('ErrorResponseDto');
      }
      expect(JSON.stringify(route.responses['200'])).toContain('SearchResultPageDto');
      const result = components.schemas.SearchResultDto;
      expect(result.properties.matches).toMatchObject({
        type: 'array',
        items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
      });
      expect(Object.keys(result.properties)).toEqual(expect.arrayContaining(['id', 'body', 'room_id', 'reactions']));
    } finally {
      await app.stop();
    }
  });
});

describe('search language', () => {
  it('should stem words in the configured language, with its index made at start', async () => {
    const app = await startIsolatedApp({ SEARCH_LANGUAGE: 'english' });
    try {
      const user = await newUser(app);
      const room = await newRoom(app, user, { is_public: false });
      const message = await newMessage(app, user, room.id, { body: 'The meetings were running late' });
      const response = await api(app, user.token).get(`${SEARCH}?q=meeting+run`);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        expect.objectContaining({
          id: message.id,
          matches: [
            [4, 12],
            [18, 25],
          ],
        }),
      ]);
    } finally {
      await app.stop();
    }
  });

  it('should refuse to start on a language the database does not have, in one line', async () => {
    const database = usingPostgres() ? await createTestDatabase() : undefined;
    try {
      await expect(startApp({ env: { SEARCH_LANGUAGE: 'klingon' }, database })).rejects.toThrow(
        'df-chat: failed to start: SEARCH_LANGUAGE must name a text search configuration of the database, got "klingon"',
      );
    } finally {
      await database?.drop();
    }
  });
});
