import { randomBytes, randomInt } from 'node:crypto';
import { startApp, TestApp } from './helpers/app';
import { api, errorCodes } from './helpers/api';
import { createTestDatabase, redisServerUrl, TestDatabase } from './helpers/database';
import { newRoom, newUser } from './helpers/factories';
import { connect, sleep, TestSocket } from './helpers/ws';

/*
 * Two instances on one PostgreSQL and one Redis (the machine's servers, whichever database the rest of
 * the run is on): a budget spent on one is spent on both.
 */
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('abuse limits across instances', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const env = {
    REDIS_URL: redisServerUrl(),
    JWT_SECRET: 'limits-cluster-secret-of-at-least-32-characters',
    TRUST_PROXY: '1',
    RATE_MESSAGES_PER_SECOND: '1',
    RATE_MESSAGES_BURST: '3',
    RATE_REGISTRATIONS: '2',
    WS_MAX_CONNECTIONS_PER_USER: '2',
  };
  const sockets: TestSocket[] = [];

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

  it("should share one user's message budget between the instances", async () => {
    const user = await newUser(a);
    const room = await newRoom(a, user);
    const sent = await Promise.all(
      [a, b, a, b, a, b].map((app, i) =>
        api(app, user.token).post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: `m${i}` }),
      ),
    );
    expect(sent.map((response) => response.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    const refused = sent.filter((response) => response.status === 429);
    expect(refused.map(errorCodes)).toEqual([['throttled'], ['throttled'], ['throttled']]);
  });

  it("should share one address's registration budget between the instances", async () => {
    const address = newAddress();
    const register = (app: TestApp) =>
      api(app).post(
        '/api/v1/auth/users/',
        { username: `reg_${randomBytes(5).toString('hex')}`, password: 'a long password' },
        { headers: { 'x-forwarded-for': address } },
      );
    expect((await register(a)).status).toBe(201);
    expect((await register(b)).status).toBe(201);
    const third = await register(a);
    expect(third.status).toBe(429);
    expect((await register(b)).status).toBe(429);
  });

  /** A user registered from an address of its own, so that the registration budget above is not spent. */
  const socketUser = (app: TestApp) => newUser(app, {}, { 'x-forwarded-for': newAddress() });

  /** Opens a connection and tells whether it was admitted: its ping answered, or closed with 1008. */
  async function open(app: TestApp, token: string): Promise<'open' | 'refused'> {
    const socket = await connect(app, token);
    sockets.push(socket);
    return socket.act({ action: 'ping' }).then(
      () => 'open' as const,
      async () => {
        expect((await socket.closed).code).toBe(1008);
        return 'refused' as const;
      },
    );
  }

  describe('websocket connections per user', () => {
    it('should hold a user to WS_MAX_CONNECTIONS_PER_USER on all instances together', async () => {
      const user = await socketUser(a);
      expect(await open(a, user.token)).toBe('open');
      expect(await open(b, user.token)).toBe('open');
      expect(await open(a, user.token)).toBe('refused');
      expect(await open(b, user.token)).toBe('refused');
      // Another user is not held to this one's count.
      expect(await open(b, (await socketUser(b)).token)).toBe('open');

      await sockets[0].close();
      // The instance counts the close out when it sees it.
      await sleep(300);
      expect(await open(b, user.token)).toBe('open');
      expect(await open(a, user.token)).toBe('refused');
    });

    it('should admit no more than the limit of connections racing on two instances', async () => {
      const user = await socketUser(a);
      const outcomes = await Promise.all([a, b, a, b, a, b, a, b].map((app) => open(app, user.token)));
      expect(outcomes.filter((outcome) => outcome === 'open')).toHaveLength(2);
    });

    it('should give back, once the instance is seen dead, the connections of an instance that crashed', async () => {
      const user = await socketUser(a);
      const c = await startApp({ database, env });
      expect(await open(c, user.token)).toBe('open');
      expect(await open(c, user.token)).toBe('open');
      await c.stop('SIGKILL');
      expect(await open(a, user.token)).toBe('refused');
      // The crashed instance's alive key lapses (15 s) and the next sweep (every 5 s) drops its counts.
      const deadline = Date.now() + 30_000;
      let outcome: 'open' | 'refused' = 'refused';
      while (outcome === 'refused' && Date.now() < deadline) {
        await sleep(1_000);
        outcome = await open(a, user.token);
      }
      expect(outcome).toBe('open');
    }, 60_000);
  });
});
