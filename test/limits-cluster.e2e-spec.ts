import { randomBytes, randomInt } from 'node:crypto';
import { startApp, TestApp } from './helpers/app';
import { api, errorCodes } from './helpers/api';
import { createTestDatabase, redisServerUrl, TestDatabase } from './helpers/database';
import { newRoom, newUser } from './helpers/factories';

/*
 * Two instances on one PostgreSQL and one Redis (the machine's servers, whichever database the rest of
 * the run is on): a budget spent on one is spent on both.
 */
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
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([startApp({ database, env }), startApp({ database, env })]);
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
    const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
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
});
