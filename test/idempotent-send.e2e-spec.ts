import { startIsolatedApp, TestApp } from './helpers/app';
import { api, errorCodes } from './helpers/api';
import { newRoom, newUser, TestUser } from './helpers/factories';
import { connect, sleep, TestSocket } from './helpers/ws';

/** `POST …/messages/` with a `client_id`: a repeat answers the first message and stores nothing. */
describe('idempotent send (client_id)', () => {
  let app: TestApp;
  const sockets: TestSocket[] = [];
  const messagesOf = (roomId: string) => `/api/v1/chat/rooms/${roomId}/messages/`;
  const send = (user: TestUser, roomId: string, body: Record<string, unknown>) =>
    api(app, user.token).post(messagesOf(roomId), body);
  const totalOf = async (user: TestUser, roomId: string): Promise<number> =>
    (await api(app, user.token).get(`/api/v1/chat/rooms/${roomId}/`)).body.message_total_count;

  beforeAll(async () => {
    app = await startIsolatedApp();
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  afterAll(async () => {
    await app.stop();
  });

  it('should store one message for 10 racing posts with one client_id, answer 201 once and 200 nine times, and push it once', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const socket = await connect(app, bob.token);
    sockets.push(socket);

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => send(alice, room.id, { body: 'only once', client_id: 'retry-1' })),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);
    for (const answer of answers) {
      expect(answer.body).toMatchObject({ body: 'only once', client_id: 'retry-1', is_me: true, room_id: room.id });
    }
    const [id] = ids;
    expect(await totalOf(alice, room.id)).toBe(1);
    const list = await api(app, alice.token).get(messagesOf(room.id));
    expect(list.body.results.map((message: { id: string }) => message.id)).toEqual([id]);
    expect(list.body.results[0].client_id).toBe('retry-1');

    await socket.waitFor((frame) => (frame.messages ?? []).some((message) => message.id === id));
    await sleep(1000); // time for a second push, were there one
    const pushed = socket.frames.flatMap((frame) => frame.messages ?? []).filter((message) => message.id === id);
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ client_id: 'retry-1', is_me: false });
  });

  it('should answer a later repeat with the first message even when its body differs', async () => {
    const alice = await newUser(app);
    const room = await newRoom(app, alice);
    const first = await send(alice, room.id, { body: 'first words', client_id: 'same_key' });
    expect(first.status).toBe(201);
    const again = await send(alice, room.id, { body: 'other words', client_id: 'same_key' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, body: 'first words' });
    expect(await totalOf(alice, room.id)).toBe(1);
  });

  it('should store the same client_id of two users as two messages', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const [fromAlice, fromBob] = await Promise.all([
      send(alice, room.id, { body: 'a', client_id: 'shared' }),
      send(bob, room.id, { body: 'b', client_id: 'shared' }),
    ]);
    expect([fromAlice.status, fromBob.status]).toEqual([201, 201]);
    expect(fromAlice.body.id).not.toBe(fromBob.body.id);
    expect(await totalOf(alice, room.id)).toBe(2);
  });

  it('should give null as client_id to a message sent without one', async () => {
    const alice = await newUser(app);
    const room = await newRoom(app, alice);
    const sent = await send(alice, room.id, { body: 'plain' });
    expect(sent.status).toBe(201);
    expect(sent.body.client_id).toBeNull();
    const read = await api(app, alice.token).get(`${messagesOf(room.id)}${sent.body.id}/`);
    expect(read.body.client_id).toBeNull();
    const rooms = await api(app, alice.token).get(`/api/v1/chat/rooms/${room.id}/`);
    expect(rooms.body.last_message.client_id).toBeNull();
  });

  it('should refuse a bad client_id with 400 on field client_id and store nothing', async () => {
    const alice = await newUser(app);
    const room = await newRoom(app, alice);
    for (const clientId of ['', 'x'.repeat(65), 'has space', 'dot.ted', 42, true, ['a'], { a: 1 }]) {
      const response = await send(alice, room.id, { body: 'never stored', client_id: clientId });
      expect(response.status).toBe(400);
      expect(errorCodes(response)).toContain('invalid');
      expect(response.body.errors.map((error: { field?: string }) => error.field)).toContain('client_id');
    }
    expect(await totalOf(alice, room.id)).toBe(0);
    const longest = await send(alice, room.id, { body: 'kept', client_id: `${'A-z_9'.repeat(12)}abcd` });
    expect(longest.status).toBe(201);
  });

  it('should make a reaction with a client_id idempotent the same way', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { users: [bob] });
    const message = (await send(alice, room.id, { body: 'react to me' })).body;
    const reactions = await Promise.all(
      ['+', '+', '👍'].map((body) =>
        send(bob, room.id, { body, parent_id: message.id, is_reaction: true, client_id: 'like-1' }),
      ),
    );
    expect(reactions.map((reaction) => reaction.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(reactions.map((reaction) => reaction.body.id)).size).toBe(1);
    const read = await api(app, bob.token).get(`${messagesOf(room.id)}${message.id}/`);
    expect(read.body.reactions).toHaveLength(1);
    expect(read.body.reactions[0].client_id).toBe('like-1');
  });

  it('should answer a repeat in a reply or a first post in a public room with the message first stored', async () => {
    const [alice, bob] = [await newUser(app), await newUser(app)];
    const room = await newRoom(app, alice, { is_public: true });
    const parent = (await send(alice, room.id, { body: 'thread' })).body;
    // Not a member yet, and a reply: both take the checked path rather than the batched one.
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => send(bob, room.id, { body: 'reply', parent_id: parent.id, client_id: 'r-1' })),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    expect(await totalOf(alice, room.id)).toBe(2);
  });
});
