import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { newUser, TestUser } from './helpers/factories';
import { connect, hasMessage, hasUser, sleep, TestSocket } from './helpers/ws';

const GRACE_MS = 300;

describe('realtime websocket', () => {
  let app: TestApp;
  const sockets: TestSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connect(app, user.token);
    sockets.push(socket);
    return socket;
  };
  const newRoom = async (owner: TestUser, body: Record<string, unknown> = {}) =>
    (await api(app, owner.token).post('/api/v1/chat/rooms/', { title: 'Room', ...body })).body as { id: string };
  const post = async (user: TestUser, roomId: string, body: Record<string, unknown>) => {
    const response = await api(app, user.token).post(`/api/v1/chat/rooms/${roomId}/messages/`, body);
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };

  beforeAll(async () => {
    app = await startIsolatedApp({ PRESENCE_GRACE_MS: String(GRACE_MS), WS_HEARTBEAT_MS: '300' });
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  afterAll(async () => {
    await app.stop();
  });

  describe('connecting', () => {
    it('should refuse a connection without a token, with a bad one or with an expired one', async () => {
      const user = await newUser(app);
      const secret = readFileSync(join(app.dataDir, 'jwt-secret'), 'utf8');
      const { sub, tv } = jwt.decode(user.token) as { sub: string; tv: number };
      const expired = jwt.sign({ sub, tv, exp: Math.floor(Date.now() / 1000) - 5 }, secret);
      for (const token of [undefined, '', 'garbage', expired]) {
        await expect(connect(app, token)).rejects.toMatchObject({ status: 401 });
      }
    });

    it('should accept a valid token with and without the trailing slash', async () => {
      const user = await newUser(app);
      sockets.push(await connect(app, user.token, '/api/v1/chat/ws/'));
      sockets.push(await connect(app, user.token, '/api/v1/chat/ws'));
    });
  });

  describe('pushes', () => {
    it('should push a new message to every member with is_me resolved per recipient, and to no outsider', async () => {
      const [alice, bob, outsider] = await Promise.all([newUser(app), newUser(app), newUser(app)]);
      const room = await newRoom(alice, { users: [bob.id], is_public: false });
      const [aliceSocket, bobSocket, outsiderSocket] = await Promise.all([open(alice), open(bob), open(outsider)]);
      const message = await post(bob, room.id, { body: 'hello' });
      const toAlice = await aliceSocket.waitFor(hasMessage(message.id));
      const toBob = await bobSocket.waitFor(hasMessage(message.id));
      expect(toAlice.messages[0]).toMatchObject({ body: 'hello', is_me: false, is_seen_by_me: false, user_id: bob.id });
      expect(toBob.messages[0]).toMatchObject({ body: 'hello', is_me: true, is_seen_by_me: true });
      expect(toAlice.users).toEqual([]);
      await outsiderSocket.expectNone(hasMessage(message.id));
    });

    it('should not push messages of a public room to users who are not its members', async () => {
      const [alice, viewer] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { is_public: true });
      const viewerSocket = await open(viewer);
      const message = await post(alice, room.id, { body: 'members only' });
      await viewerSocket.expectNone(hasMessage(message.id));
    });

    it('should re-push the parent with its reactions for a reaction, and never the reaction itself', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { users: [bob.id] });
      const aliceSocket = await open(alice);
      const bobSocket = await open(bob);
      const parent = await post(alice, room.id, { body: 'like me' });
      await aliceSocket.waitFor(hasMessage(parent.id));
      const reaction = await post(bob, room.id, { body: '+', parent_id: parent.id, is_reaction: true });
      const withReaction = await aliceSocket.waitFor(hasMessage(parent.id, (m) => m.reactions.length === 1));
      expect(withReaction.messages[0].reactions[0]).toMatchObject({ id: reaction.id, body: '+', is_me: false });
      expect(aliceSocket.frames.some(hasMessage(reaction.id))).toBe(false);
      // The reaction summary is resolved for each recipient.
      expect(withReaction.messages[0].reaction_counts).toEqual([{ body: '+', count: 1, is_mine: false }]);
      const forBob = await bobSocket.waitFor(hasMessage(parent.id, (m) => m.reactions.length === 1));
      expect(forBob.messages[0].reaction_counts).toEqual([{ body: '+', count: 1, is_mine: true }]);

      const from = aliceSocket.frames.indexOf(withReaction) + 1;
      expect((await api(app, bob.token).delete(`/api/v1/chat/rooms/${room.id}/messages/${reaction.id}/`)).status).toBe(
        204,
      );
      await aliceSocket.waitFor(
        hasMessage(parent.id, (m) => m.reactions.length === 0),
        5000,
        from,
      );
    });

    it('should push an edited message and a deleted one as deleted_messages', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { users: [bob.id] });
      const bobSocket = await open(bob);
      const message = await post(alice, room.id, { body: 'first' });
      await api(app, alice.token).patch(`/api/v1/chat/rooms/${room.id}/messages/${message.id}/`, { body: 'second' });
      await bobSocket.waitFor(hasMessage(message.id, (m) => m.body === 'second'));
      await api(app, alice.token).delete(`/api/v1/chat/rooms/${room.id}/messages/${message.id}/`);
      const deleted = await bobSocket.waitFor((frame) => Boolean(frame.deleted_messages?.length));
      expect(deleted).toEqual({
        room_id: room.id,
        seq: expect.any(Number),
        messages: [],
        users: [],
        deleted_messages: [{ id: message.id, room_id: room.id }],
      });
    });

    it('should push a room user joining and leaving', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { is_public: true });
      const aliceSocket = await open(alice);
      await api(app, bob.token).post(`/api/v1/chat/rooms/${room.id}/users/`, { user_id: bob.id });
      const joined = await aliceSocket.waitFor(hasUser(bob.id, (u) => u.is_active));
      expect(joined.users[0]).toMatchObject({ room_id: room.id, is_me: false, is_active: true });
      await api(app, bob.token).delete(`/api/v1/chat/rooms/${room.id}/users/${bob.id}/`);
      await aliceSocket.waitFor(hasUser(bob.id, (u) => !u.is_active));
    });
  });

  describe('membership on live connections', () => {
    it('should start pushing to a user added to a room, and stop when they are removed', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { is_public: false });
      const bobSocket = await open(bob);
      const before = await post(alice, room.id, { body: 'before bob' });
      await bobSocket.expectNone(hasMessage(before.id), 300);

      expect(
        (await api(app, alice.token).post(`/api/v1/chat/rooms/${room.id}/users/`, { user_id: bob.id })).status,
      ).toBe(201);
      await bobSocket.waitFor(hasUser(bob.id, (u) => u.is_active && u.is_me));
      const during = await post(alice, room.id, { body: 'with bob' });
      await bobSocket.waitFor(hasMessage(during.id));

      expect((await api(app, alice.token).delete(`/api/v1/chat/rooms/${room.id}/users/${bob.id}/`)).status).toBe(204);
      await bobSocket.waitFor(hasUser(bob.id, (u) => !u.is_active));
      const after = await post(alice, room.id, { body: 'after bob' });
      await bobSocket.expectNone(hasMessage(after.id));
    });

    it('should stop pushing a deleted room', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { users: [bob.id] });
      const bobSocket = await open(bob);
      await api(app, alice.token).delete(`/api/v1/chat/rooms/${room.id}/`);
      const other = await newRoom(alice, { users: [bob.id] });
      const message = await post(alice, other.id, { body: 'still here' });
      await bobSocket.waitFor(hasMessage(message.id));
    });
  });

  describe('presence', () => {
    it('should keep a user online until their last connection closes, then push offline', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { users: [bob.id] });
      const aliceSocket = await open(alice);
      const bob1 = await connect(app, bob.token);
      await aliceSocket.waitFor(hasUser(bob.id, (u) => u.is_online));
      // Frames before bob went online (e.g. the room's creation, both offline) may still be arriving.
      const from = aliceSocket.frames.length;
      const bob2 = await connect(app, bob.token);
      await bob1.close();
      await sleep(GRACE_MS * 3);
      const listed = await api(app, alice.token).get(`/api/v1/chat/rooms/${room.id}/users/${bob.id}/`);
      expect(listed.body.is_online).toBe(true);
      expect(aliceSocket.frames.slice(from).some(hasUser(bob.id, (u) => !u.is_online))).toBe(false);

      await bob2.close();
      await aliceSocket.waitFor(
        hasUser(bob.id, (u) => !u.is_online),
        5000,
        from,
      );
      const after = await api(app, alice.token).get(`/api/v1/chat/rooms/${room.id}/users/${bob.id}/`);
      expect(after.body.is_online).toBe(false);
    });

    it('should tell a room of a storm of connections in a few frames, not one per connection', async () => {
      const alice = await newUser(app);
      const crowd = await Promise.all(Array.from({ length: 24 }, () => newUser(app)));
      await newRoom(alice, { users: crowd.map((user) => user.id) });
      const aliceSocket = await open(alice);
      await sleep(1500); // the room's creation and alice's own presence are told first
      const from = aliceSocket.frames.length;
      const started = Date.now();
      await Promise.all(crowd.map((user) => open(user)));
      const online = new Set<string>();
      const deadline = Date.now() + 10_000;
      while (online.size < crowd.length && Date.now() < deadline) {
        for (const frame of aliceSocket.frames.slice(from)) {
          (frame.users ?? []).filter((u) => u.is_online).forEach((u) => online.add(u.user_id));
        }
        await sleep(100);
      }
      expect(crowd.every((user) => online.has(user.id))).toBe(true);
      const seconds = Math.ceil((Date.now() - started) / 1000);
      // At most one presence frame a second reaches each room, whatever the number of connections.
      const presenceFrames = aliceSocket.frames.slice(from).filter((frame) => (frame.users ?? []).length > 0);
      expect(presenceFrames.length).toBeLessThanOrEqual(seconds + 1);
      expect(presenceFrames.length).toBeLessThan(crowd.length);
    });

    it('should not flap offline when a page reloads within the grace period', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      await newRoom(alice, { users: [bob.id] });
      const aliceSocket = await open(alice);
      const first = await connect(app, bob.token);
      await aliceSocket.waitFor(hasUser(bob.id, (u) => u.is_online));
      const from = aliceSocket.frames.length;
      await first.close();
      sockets.push(await connect(app, bob.token));
      await aliceSocket.expectNone(
        hasUser(bob.id, (u) => !u.is_online),
        GRACE_MS * 3,
        from,
      );
    });
  });

  describe('connection health', () => {
    it('should close a connection that stops answering pings', async () => {
      const user = await newUser(app);
      const raw = new WebSocket(`${app.wsUrl}/api/v1/chat/ws/?token=${user.token}`, { autoPong: false });
      await new Promise((resolve) => raw.once('open', resolve));
      const closed = await Promise.race([
        new Promise((resolve) => raw.once('close', () => resolve('closed'))),
        sleep(5000).then(() => 'still open'),
      ]);
      expect(closed).toBe('closed');
    });

    it('should answer frames it cannot act on with an invalid error, go on pushing, and close on one over 64 KiB', async () => {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = await newRoom(alice, { users: [bob.id] });
      const bobSocket = await open(bob);
      const from = bobSocket.frames.length;
      const sent = ['hello', '{"event":"messages","data":{}}', '{"not json', '[1]', Buffer.from([0, 1, 2])];
      for (const data of sent) {
        bobSocket.raw.send(data);
      }
      const message = await post(alice, room.id, { body: 'still pushing' });
      await bobSocket.waitFor(hasMessage(message.id), 5000, from);
      await sleep(200);
      const errors = bobSocket.frames.slice(from).filter((frame) => frame.error);
      expect(errors).toHaveLength(sent.length);
      expect(errors.every((frame) => frame.error!.code === 'invalid' && frame.error!.ref === null)).toBe(true);
      expect(bobSocket.raw.readyState).toBe(WebSocket.OPEN);

      bobSocket.raw.send(JSON.stringify({ action: 'ping', ref: 'p', pad: 'x'.repeat(60_000) }));
      expect((await bobSocket.act({ action: 'ping' })).ack).toBeDefined();
      bobSocket.raw.send('x'.repeat(64 * 1024 + 1));
      expect((await bobSocket.closed).code).toBe(1009);
    });

    it('should keep a connection that answers pings', async () => {
      const user = await newUser(app);
      const socket = await open(user);
      await sleep(1500);
      expect(socket.raw.readyState).toBe(WebSocket.OPEN);
    });
  });
});

describe('realtime limits and shutdown', () => {
  it('should cut off a client that does not read its frames', async () => {
    // Loopback sockets buffer megabytes in the kernel before the server's own buffer grows.
    const app = await startIsolatedApp({ WS_MAX_BUFFERED_BYTES: '1048576', MAX_MESSAGE_LENGTH: '1000000' });
    try {
      const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
      const room = (await api(app, alice.token).post('/api/v1/chat/rooms/', { title: 'Busy', users: [bob.id] })).body;
      const slow = await connect(app, bob.token);
      (slow.raw as unknown as { _socket: { pause(): void } })._socket.pause();
      const body = 'x'.repeat(900_000);
      let closed = false;
      void slow.closed.then(() => (closed = true));
      for (let i = 0; i < 80 && !closed; i++) {
        await api(app, alice.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body });
      }
      expect(app.output()).toContain('unsent data passed the limit');
    } finally {
      await app.stop();
    }
  });

  it('should close websockets with 1001 on SIGTERM and exit 0', async () => {
    const app = await startIsolatedApp();
    let exit: Promise<number | null> | undefined;
    try {
      const user = await newUser(app);
      const socket = await connect(app, user.token);
      exit = app.stop('SIGTERM');
      expect((await socket.closed).code).toBe(1001);
      expect(await exit).toBe(0);
    } finally {
      await (exit ?? app.stop());
    }
  });

  it('should close with 1001 on SIGTERM the websockets still being set up', async () => {
    const app = await startIsolatedApp();
    let exit: Promise<number | null> | undefined;
    try {
      const users = await Promise.all(Array.from({ length: 20 }, () => newUser(app)));
      const sockets = users.map((user) => connect(app, user.token));
      // The first is open: the others are being upgraded, authenticated or set up.
      await Promise.race(sockets);
      exit = app.stop('SIGTERM');
      const ends = await Promise.all(
        sockets.map((opening) =>
          opening.then(
            async (socket) => (await socket.closed).code,
            () => 'not opened',
          ),
        ),
      );
      // Every socket that opened is told to come back; none is cut off (1006).
      expect(ends.filter((end) => end !== 'not opened' && end !== 1001)).toEqual([]);
      expect(ends).toContain(1001);
      expect(await exit).toBe(0);
    } finally {
      await (exit ?? app.stop());
    }
  });
});
