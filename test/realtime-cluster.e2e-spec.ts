import { Client } from 'pg';
import { startApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { createTestDatabase, redisServerUrl, TestDatabase } from './helpers/database';
import { newUser, TestUser } from './helpers/factories';
import { privateRedis, privateRedisCluster } from './helpers/private-servers';
import { connect, hasMessage, hasUser, sleep, TestSocket } from './helpers/ws';

/*
 * Several instances share one PostgreSQL and a Redis by nature, so these tests use the machine's
 * servers whichever database the rest of the run is on.
 */
const RECHECK_MS = 400;

describe('realtime across instances', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const sockets: TestSocket[] = [];
  // Instances of one deployment share the signing secret.
  const env = {
    REDIS_URL: redisServerUrl(),
    PRESENCE_GRACE_MS: '200',
    JWT_SECRET: 'cluster-test-secret-of-at-least-32-characters',
    LOG_LEVEL: 'debug',
    TRUST_PROXY: 'true',
    AUTH_MAX_FAILURES: '3',
    WS_MEMBERSHIP_RECHECK_MS: String(RECHECK_MS),
  };

  const newRoom = async (app: TestApp, owner: TestUser, users: TestUser[]) =>
    (await api(app, owner.token).post('/api/v1/chat/rooms/', { title: 'Shared', users: users.map((u) => u.id) }))
      .body as { id: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([startApp({ database, env }), startApp({ database, env })]);
  });

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await database.drop();
  });

  it('should deliver on instance A what was posted through instance B', async () => {
    const [alice, bob] = await Promise.all([newUser(a), newUser(b)]);
    const room = await newRoom(b, bob, [alice]);
    const onA = await connect(a, alice.token);
    const onB = await connect(b, bob.token);
    sockets.push(onA, onB);
    const message = (await api(b, bob.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'across' })).body;
    expect((await onA.waitFor(hasMessage(message.id))).messages[0]).toMatchObject({ body: 'across', is_me: false });
    expect((await onB.waitFor(hasMessage(message.id))).messages[0]).toMatchObject({ is_me: true });
  });

  it('should do work for a room only on instances where one of its members is connected', async () => {
    const [alice, bob] = await Promise.all([newUser(a), newUser(a)]);
    const room = await newRoom(a, alice, [bob]);
    const watchers = await Promise.all([connect(a, alice.token), connect(a, bob.token), connect(a, bob.token)]);
    sockets.push(...watchers);
    const message = (await api(b, alice.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'only A' }))
      .body;
    await Promise.all(watchers.map((socket) => socket.waitFor(hasMessage(message.id))));
    const delivered = (app: TestApp) =>
      app
        .output()
        .split('\n')
        .filter((line) => line.includes(`delivered change room=${room.id}`));
    // The log line may reach us just after the frames do.
    for (let tries = 0; tries < 40 && delivered(a).length === 0; tries++) {
      await new Promise((done) => setTimeout(done, 50));
    }
    // Three connections, two users, and one frame per variant: the author's and everyone else's.
    expect(delivered(a).join('\n')).toContain('connections=3 frames=2');
    expect(delivered(b)).toEqual([]);
  });

  it("should route a room's events over Redis only to instances where its members are connected", async () => {
    const [alice, bob, carol] = await Promise.all([newUser(a), newUser(a), newUser(a)]);
    const room = await newRoom(a, alice, [bob]);
    const aliceOnA = await connect(a, alice.token);
    // Carol is connected to B, but in no room with Alice: B subscribes to nothing of this room.
    const carolOnB = await connect(b, carol.token);
    sockets.push(aliceOnA, carolOnB);
    const heard = (app: TestApp) =>
      app
        .output()
        .split('\n')
        .filter((line) => line.includes(`on room:${room.id}`));
    const first = (await api(b, bob.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'A only' })).body;
    await aliceOnA.waitFor(hasMessage(first.id));
    expect(heard(a).length).toBeGreaterThan(0);
    expect(heard(b)).toEqual([]);

    // Added to the room, Carol hears of it on B through her own channel, then B follows the room.
    await api(a, alice.token).post(`/api/v1/chat/rooms/${room.id}/users/`, { user_id: carol.id });
    await carolOnB.waitFor(hasUser(carol.id, (u) => u.is_active && u.room_id === room.id));
    const second = (await api(a, bob.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'now B too' }))
      .body;
    await carolOnB.waitFor(hasMessage(second.id));
    // The log line may reach us just after the frame does.
    for (let tries = 0; tries < 40 && heard(b).length === 0; tries++) {
      await sleep(50);
    }
    expect(heard(b).length).toBeGreaterThan(0);
  });

  it('should count failed sign-ins from one address across instances', async () => {
    const user = await newUser(a);
    const address = `10.${Date.now() % 256}.${Math.floor(Math.random() * 256)}.9`;
    const attempt = (app: TestApp, password: string) =>
      api(app).post(
        '/api/v1/auth/token/',
        { username: user.username, password },
        { headers: { 'x-forwarded-for': address } },
      );
    expect((await attempt(a, 'wrong')).status).toBe(401);
    expect((await attempt(b, 'wrong')).status).toBe(401);
    expect((await attempt(a, 'wrong')).status).toBe(401);
    expect((await attempt(b, user.password)).status).toBe(429);
  });

  it('should count presence across instances: online until the last connection anywhere closes', async () => {
    const [alice, bob] = await Promise.all([newUser(a), newUser(a)]);
    const room = await newRoom(a, alice, [bob]);
    const watcher = await connect(a, alice.token);
    sockets.push(watcher);
    const bobOnA = await connect(a, bob.token);
    await watcher.waitFor(hasUser(bob.id, (u) => u.is_online));
    // The room's creation (bob offline) may still be arriving: only frames from here on count.
    const from = watcher.frames.length;
    const bobOnB = await connect(b, bob.token);
    await bobOnA.close();
    await new Promise((done) => setTimeout(done, 800));
    const meanwhile = await api(b, alice.token).get(`/api/v1/chat/rooms/${room.id}/users/${bob.id}/`);
    expect(meanwhile.body.is_online).toBe(true);
    await bobOnB.close();
    await watcher.waitFor(
      hasUser(bob.id, (u) => !u.is_online),
      5000,
      from,
    );
  });

  it('should mark offline, within 20 seconds, the users of an instance that crashed', async () => {
    const [alice, carol] = await Promise.all([newUser(a), newUser(a)]);
    await newRoom(a, alice, [carol]);
    const watcher = await connect(a, alice.token);
    sockets.push(watcher);
    const c = await startApp({ database, env });
    const carolOnC = await connect(c, carol.token);
    await watcher.waitFor(hasUser(carol.id, (u) => u.is_online));
    const from = watcher.frames.length;
    await c.stop('SIGKILL');
    await carolOnC.closed;
    await watcher.waitFor(
      hasUser(carol.id, (u) => !u.is_online),
      25_000,
      from,
    );
  }, 40_000);

  it('should apply, at the next membership recheck, a change no event told the instances of', async () => {
    const [alice, bob] = await Promise.all([newUser(a), newUser(a)]);
    const room = await newRoom(a, alice, [bob]);
    const [aliceOnA, bobOnB] = await Promise.all([connect(a, alice.token), connect(b, bob.token)]);
    sockets.push(aliceOnA, bobOnB);
    const postAndWait = async (body: string) => {
      const message = (await api(a, alice.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body })).body;
      await aliceOnA.waitFor(hasMessage(message.id));
      return message.id as string;
    };
    await bobOnB.waitFor(hasMessage(await postAndWait('before')));

    // Written past the app (as when Redis dropped the event): no subscriber sees it, nothing is published.
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    const setActive = (active: boolean) =>
      sql.query('UPDATE room_users SET is_active = $3 WHERE room_id = $1 AND user_id = $2', [room.id, bob.id, active]);
    try {
      await setActive(false);
      await sleep(RECHECK_MS * 3);
      const unseen = await postAndWait('after the removal');
      await bobOnB.expectNone(hasMessage(unseen), 1000);

      await setActive(true);
      await sleep(RECHECK_MS * 3);
      await bobOnB.waitFor(hasMessage(await postAndWait('after coming back')));
    } finally {
      await sql.end();
    }
  });

  it('should push nothing for a change whose transaction rolled back', async () => {
    const [alice, bob] = await Promise.all([newUser(a), newUser(a)]);
    const room = (await api(a, alice.token).post('/api/v1/chat/rooms/', { title: 'Open', is_public: true })).body;
    const watcher = await connect(a, alice.token);
    sockets.push(watcher);
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      // Fail the last statement of the message's transaction, after the message row was inserted.
      await sql.query(`
        CREATE FUNCTION fail_marked_post() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM messages WHERE id = NEW.last_message_id AND body = 'roll me back') THEN
            RAISE EXCEPTION 'injected failure';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER fail_marked_post BEFORE UPDATE ON room_stats FOR EACH ROW EXECUTE FUNCTION fail_marked_post();`);
      const failed = await api(a, bob.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'roll me back' });
      expect(failed.status).toBe(500);
      expect(failed.body.errors[0]).toEqual({ code: 'server_error', message: 'Internal server error' });
      const ok = (await api(a, bob.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: 'kept' })).body;
      await watcher.waitFor(hasMessage(ok.id));
      expect(watcher.frames.some((frame) => (frame.messages ?? []).some((m) => m.body === 'roll me back'))).toBe(false);
      // Bob joined once, with the message that was kept, not with the one rolled back.
      expect(watcher.frames.filter(hasUser(bob.id)).length).toBe(1);
      const listed = await api(a, alice.token).get(`/api/v1/chat/rooms/${room.id}/messages/`);
      expect(listed.body.results.map((m: { body: string }) => m.body)).toEqual(['kept']);
    } finally {
      await sql.query(
        'DROP TRIGGER IF EXISTS fail_marked_post ON room_stats; DROP FUNCTION IF EXISTS fail_marked_post();',
      );
      await sql.end();
    }
  });
});

describe('realtime across instances when Redis restarts', () => {
  it('should fill from the change log what Redis lost, so a client on the other instance misses nothing', async () => {
    const redis = await privateRedis();
    const database = await createTestDatabase();
    const env = {
      REDIS_URL: redis.url,
      JWT_SECRET: 'cluster-test-secret-of-at-least-32-characters',
      RATE_MESSAGES_PER_SECOND: '1000',
      RATE_MESSAGES_BURST: '2000',
      LOG_LEVEL: 'debug',
    };
    const [a, b] = await Promise.all([startApp({ database, env }), startApp({ database, env })]);
    try {
      const [alice, bob] = await Promise.all([newUser(a), newUser(a)]);
      const room = (await api(a, alice.token).post('/api/v1/chat/rooms/', { title: 'Flaky', users: [bob.id] })).body;
      const bobOnB = await connect(b, bob.token);
      const posted: string[] = [];
      const post = async (body: string) => {
        const response = await api(a, alice.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body });
        expect(response.status).toBe(201);
        posted.push(response.body.id);
      };
      for (let i = 0; i < 10; i++) {
        await post(`before ${i}`);
      }
      await bobOnB.waitFor(hasMessage(posted.at(-1)!));
      await redis.kill();
      // Long enough for the publisher to give up on what it queued meanwhile: those events are lost.
      for (let i = 0; i < 10; i++) {
        await post(`while down ${i}`);
        await sleep(150);
      }
      await redis.start();
      // Posting goes on: the first event to get through shows B the gap, which B reads from the log.
      for (let i = 0; i < 40 && !bobOnB.frames.some(hasMessage(posted.at(-1)!)); i++) {
        await post(`after ${i}`);
        await sleep(100);
      }
      await bobOnB.waitFor(hasMessage(posted.at(-1)!), 10_000);
      const frames = bobOnB.frames.filter((frame) => frame.room_id === room.id && frame.seq !== undefined);
      const seqs = frames.map((frame) => frame.seq!);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
      const received = frames.flatMap((frame) => frame.messages.map((message) => message.id as string));
      expect(received.filter((id) => posted.includes(id))).toEqual(posted);
      expect(b.output()).toContain(`filling a gap from the change log: room=${room.id}`);
      await bobOnB.close();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await redis.kill();
      await database.drop();
    }
  }, 60_000);
});

describe('realtime across instances over a Redis Cluster (sharded pub/sub)', () => {
  it('should deliver across instances room by room, each instance hearing only its rooms', async () => {
    const cluster = await privateRedisCluster();
    const database = await createTestDatabase();
    const env = {
      REDIS_CLUSTER: cluster.nodes,
      REDIS_URL: redisServerUrl(),
      JWT_SECRET: 'cluster-test-secret-of-at-least-32-characters',
      LOG_LEVEL: 'debug',
    };
    const [a, b] = await Promise.all([startApp({ database, env }), startApp({ database, env })]);
    const opened: TestSocket[] = [];
    try {
      // Rooms whose channels fall on different nodes of the cluster.
      const users = await Promise.all(Array.from({ length: 6 }, () => newUser(a)));
      const rooms = [];
      for (let i = 0; i < 6; i += 2) {
        rooms.push(
          (await api(a, users[i].token).post('/api/v1/chat/rooms/', { title: `R${i}`, users: [users[i + 1].id] })).body,
        );
      }
      // The first user of each room on A, the second on B.
      for (let i = 0; i < 6; i++) {
        opened.push(await connect(i % 2 === 0 ? a : b, users[i].token));
      }
      for (let r = 0; r < rooms.length; r++) {
        const message = (
          await api(a, users[2 * r].token).post(`/api/v1/chat/rooms/${rooms[r].id}/messages/`, { body: `to ${r}` })
        ).body;
        await opened[2 * r + 1].waitFor(hasMessage(message.id));
        await opened[2 * r].waitFor(hasMessage(message.id));
      }
      // A room with no member on B is not heard there.
      const [solo] = await Promise.all([newUser(a)]);
      const lonely = (await api(a, solo.token).post('/api/v1/chat/rooms/', { title: 'A only' })).body;
      opened.push(await connect(a, solo.token));
      const only = (await api(b, solo.token).post(`/api/v1/chat/rooms/${lonely.id}/messages/`, { body: 'alone' })).body;
      await opened.at(-1)!.waitFor(hasMessage(only.id));
      expect(b.output()).not.toContain(`on room:${lonely.id}`);
      expect(a.output()).toContain('received change on room:');
    } finally {
      await Promise.all(opened.map((socket) => socket.close()));
      await Promise.all([a.stop(), b.stop()]);
      await cluster.stop();
      await database.drop();
    }
  }, 90_000);
});
