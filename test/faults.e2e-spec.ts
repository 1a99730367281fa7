import { startApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { redisServerUrl } from './helpers/database';
import { newRoom, newUser } from './helpers/factories';
import { privatePostgres, PrivatePostgres } from './helpers/private-servers';
import { connect, ServerFrame, sleep } from './helpers/ws';

/*
 * Faults with real processes: a PostgreSQL server of the test's own is crashed and started again under
 * posting load. Every message answered 201 must be stored and reach the room's members (resumed
 * through seq where a push was lost); while the database is down, requests answer 503 with
 * Retry-After, and the app recovers by itself.
 */

describe('faults: PostgreSQL crashes under posting load', () => {
  let postgres: PrivatePostgres;
  let app: TestApp;

  beforeAll(async () => {
    postgres = await privatePostgres();
    app = await startApp({
      env: {
        DATABASE_URL: postgres.url,
        REDIS_URL: redisServerUrl(),
        RATE_MESSAGES_PER_SECOND: '1000',
        RATE_MESSAGES_BURST: '2000',
        JWT_SECRET: 'faults-test-secret-of-at-least-32-characters',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await postgres?.destroy();
  });

  it('should answer 503 while it is down, recover by itself, and lose no message it answered 201 for', async () => {
    const [alice, bob] = await Promise.all([newUser(app), newUser(app)]);
    const room = await newRoom(app, alice, { users: [bob], is_public: false });
    const socket = await connect(app, bob.token);
    const stored: string[] = [];
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    let posting = true;
    const poster = (async () => {
      for (let i = 0; posting; i++) {
        const response = await api(app, alice.token)
          .post(`/api/v1/chat/rooms/${room.id}/messages/`, { body: `under load ${i}` })
          .catch(() => ({ status: 0, body: null, headers: new Headers() }));
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201) {
          stored.push(response.body.id);
        } else if (response.status === 503) {
          retryAfter ??= response.headers.get('retry-after');
        }
        await sleep(20);
      }
    })();
    await sleep(1000);
    await postgres.crash();
    await sleep(2000);
    await postgres.start();
    // Back by itself: posts succeed again without restarting the app.
    const recovered = Date.now();
    const before = stored.length;
    while (stored.length < before + 20 && Date.now() - recovered < 20_000) {
      await sleep(100);
    }
    posting = false;
    await poster;

    expect([...statuses.keys()].sort()).toEqual([201, 503]);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(stored.length).toBeGreaterThanOrEqual(before + 20);

    // Every message answered 201 is stored.
    const listed = await api(app, bob.token).get(`/api/v1/chat/rooms/${room.id}/messages/?limit=200`);
    const ids = new Set((listed.body.results as { id: string }[]).map((message) => message.id));
    expect(stored.filter((id) => !ids.has(id))).toEqual([]);

    // And reaches the member: pushed, or replayed by a resume from the last seq applied.
    const applied = new Map<number, ServerFrame>();
    const apply = (frames: ServerFrame[]) => {
      for (const frame of frames) {
        if (frame.room_id === room.id && frame.seq !== undefined) {
          applied.set(frame.seq, frame);
        }
      }
    };
    apply(socket.frames);
    const seqs = [...applied.keys()].sort((a, b) => a - b);
    const firstGap = seqs.findIndex((seq, index) => index > 0 && seq !== seqs[index - 1] + 1);
    const last = firstGap === -1 ? seqs.at(-1)! : seqs[firstGap - 1];
    const from = socket.frames.length;
    const ack = await socket.act({ action: 'resume', rooms: { [room.id]: last } });
    expect(ack.resync).toEqual([]);
    apply(socket.frames.slice(from));
    const received = new Set([...applied.values()].flatMap((frame) => frame.messages.map((message) => message.id)));
    expect(stored.filter((id) => !received.has(id))).toEqual([]);
    await socket.close();
  }, 90_000);
});
