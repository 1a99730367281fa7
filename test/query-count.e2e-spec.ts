import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse } from './helpers/api';
import { newMessage, newReaction, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

/** List endpoints run a fixed number of SQL statements, whatever the page size or the history behind it. */

const ROOMS = '/api/v1/chat/rooms';

function queriesOf(response: ApiResponse): number {
  expect(response.status).toBe(200);
  const header = response.headers.get('x-db-queries');
  expect(header).toMatch(/^\d+$/);
  return Number(header);
}

/** A private room of `owner` with `others` as members and `messages` messages of alternating authors, half with reactions. */
async function busyRoom(app: TestApp, owner: TestUser, others: TestUser[], messages: number) {
  const room = await newRoom(app, owner, { is_public: false, users: others });
  const authors = [owner, ...others];
  let previous: { id: string } | undefined;
  for (let i = 0; i < messages; i++) {
    // Every fourth message is a reply in the previous one's thread.
    const message = await newMessage(app, authors[i % authors.length], room.id, {
      parent_id: i % 4 === 3 ? previous?.id : undefined,
    });
    previous = message;
    if (i % 2 === 0) {
      await newReaction(app, others[0] ?? owner, message, '+');
      await newReaction(app, owner, message, '♥');
    }
  }
  return room;
}

describe('query count', () => {
  let app: TestApp;
  let owner: TestUser;
  let friend: TestUser;

  beforeAll(async () => {
    app = await startIsolatedApp({ EXPOSE_QUERY_COUNT: 'true' });
    [owner, friend] = await newUsers(app, 2);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('should report the statements of every response in X-Db-Queries, errors included', async () => {
    const user = await newUser(app);
    const list = await api(app, user.token).get(`${ROOMS}/`);
    expect(queriesOf(list)).toBeGreaterThan(0);
    const created = await api(app, user.token).post(`${ROOMS}/`, { title: 'counted', is_public: false });
    expect(created.status).toBe(201);
    expect(Number(created.headers.get('x-db-queries'))).toBeGreaterThan(3);
    const missing = await api(app, user.token).get(`${ROOMS}/00000000-0000-4000-8000-000000000000/`);
    expect(missing.status).toBe(404);
    expect(Number(missing.headers.get('x-db-queries'))).toBeGreaterThan(0);
    const malformed = await api(app, user.token).post(`${ROOMS}/`, undefined, {
      raw: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-db-queries')).toBe('0');
    const anonymous = await api(app).get(`${ROOMS}/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-db-queries')).toBe('0');
  });

  it('should list 2 rooms and 30 rooms with the same number of statements', async () => {
    const few = await newUser(app);
    const many = await newUser(app);
    for (let i = 0; i < 2; i++) {
      await busyRoom(app, few, [friend], 3);
    }
    for (let i = 0; i < 30; i++) {
      await busyRoom(app, many, [friend], 3);
    }
    const fewResponse = await api(app, few.token).get(`${ROOMS}/`);
    const manyResponse = await api(app, many.token).get(`${ROOMS}/`);
    expect(fewResponse.body.results).toHaveLength(2);
    expect(manyResponse.body.results).toHaveLength(30);
    expect(manyResponse.body.results.every((room: any) => room.last_message?.reactions.length === 2)).toBe(true);
    expect(queriesOf(manyResponse)).toBe(queriesOf(fewResponse));
    // The friend is in all 32 rooms: a page of 30 of them costs the same again.
    const friendPage = await api(app, friend.token).get(`${ROOMS}/?limit=30`);
    expect(friendPage.body.results).toHaveLength(30);
    expect(queriesOf(friendPage)).toBe(queriesOf(fewResponse));
  });

  it('should list 5 and 100 messages with the same number of statements, whatever the history', async () => {
    const small = await busyRoom(app, owner, [friend], 6);
    const large = await busyRoom(app, owner, [friend], 120);
    const messages = (roomId: string, query: string) =>
      api(app, friend.token).get(`${ROOMS}/${roomId}/messages/?${query}`);

    const five = await messages(large.id, 'limit=5');
    const hundred = await messages(large.id, 'limit=100');
    const fiveOfSmall = await messages(small.id, 'limit=5');
    expect(five.body.results).toHaveLength(5);
    expect(hundred.body.results).toHaveLength(100);
    expect(hundred.body.results.filter((message: any) => message.reactions.length === 2).length).toBe(50);
    const baseline = queriesOf(five);
    expect(queriesOf(hundred)).toBe(baseline);
    expect(queriesOf(fiveOfSmall)).toBe(baseline);
    expect(queriesOf(await messages(large.id, 'limit=5&offset=100'))).toBe(baseline);

    const oldest = hundred.body.results[99].id;
    const cursorFive = await messages(large.id, `before=${oldest}&limit=5`);
    const cursorMany = await messages(large.id, `after=${oldest}&limit=100`);
    expect(cursorFive.body.results).toHaveLength(5);
    expect(cursorMany.body.results).toHaveLength(99);
    expect(queriesOf(cursorMany)).toBe(queriesOf(cursorFive));
  });

  it('should read one message and one room with a handful of statements, whatever the room holds', async () => {
    const room = await busyRoom(app, owner, [friend], 40);
    const list = await api(app, friend.token).get(`${ROOMS}/${room.id}/messages/?limit=1`);
    const [newest] = list.body.results;
    const quiet = await busyRoom(app, owner, [friend], 1);
    const [only] = (await api(app, friend.token).get(`${ROOMS}/${quiet.id}/messages/`)).body.results;
    expect(queriesOf(await api(app, friend.token).get(`${ROOMS}/${room.id}/messages/${newest.id}/`))).toBe(
      queriesOf(await api(app, friend.token).get(`${ROOMS}/${quiet.id}/messages/${only.id}/`)),
    );
    expect(queriesOf(await api(app, friend.token).get(`${ROOMS}/${room.id}/`))).toBe(
      queriesOf(await api(app, friend.token).get(`${ROOMS}/${quiet.id}/`)),
    );
  });

  // Last: its public room is in everyone's room list.
  // The token's check, the room access check, then one transaction: BEGIN, one insert (the database's
  // triggers do the counting), the change log's one append, COMMIT.
  it("should store a member's message in one insert and one log append after the token's and the access check", async () => {
    const [poster, joiner] = await newUsers(app, 2);
    const room = await newRoom(app, poster, { is_public: true });
    const statementsOf = (response: ApiResponse) => {
      expect(response.status).toBe(201);
      return Number(response.headers.get('x-db-queries'));
    };
    const post = async (user: TestUser, body: string) =>
      statementsOf(await api(app, user.token).post(`${ROOMS}/${room.id}/messages/`, { body }));
    const STORED = 6; // token, access, START TRANSACTION, INSERT, change log, COMMIT
    expect(await post(poster, 'one')).toBe(STORED);
    // A first message in a public room makes its author a member, through the checks; then they are one.
    expect(await post(joiner, 'hi')).toBeGreaterThan(STORED);
    expect(await post(joiner, 'hi')).toBe(STORED);
    // An @ costs one lookup of the names among the members and, when one is, one insert of the mentions.
    expect(await post(joiner, `hi @${poster.username} and @${joiner.username}`)).toBe(STORED + 2);
    expect(await post(joiner, 'hi @nobody_at_all')).toBe(STORED + 1);
    const members = await api(app, poster.token).get(`${ROOMS}/${room.id}/users/`);
    expect(members.body).toHaveLength(2);
    const view = await api(app, poster.token).get(`${ROOMS}/${room.id}/`);
    expect(view.body.message_total_count).toBe(5);
    expect(view.body.mention_new_count).toBe(1);
  });
});
