import { Client } from 'pg';
import { api } from '../helpers/api';
import { startApp, TestApp } from '../helpers/app';
import { createTestDatabase, TestDatabase } from '../helpers/database';
import { newRoom, newUsers, TestUser } from '../helpers/factories';
import { sleep } from '../helpers/ws';

const ROOMS = '/api/v1/chat/rooms';

// Posts to a room that arrive while one of its statements runs are stored together by the next one. The
// test holds the room's counters locked from a connection of its own so that the first post's statement
// waits and the others queue behind it, which needs PostgreSQL: it runs against the machine's whatever
// database the rest of the run uses.
describe('posts stored together (PostgreSQL)', () => {
  let database: TestDatabase;
  let app: TestApp;
  let sql: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startApp({ database });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await app?.stop();
    await database?.drop();
  });

  /** Runs `posts` while the room's counters are locked until the first of them waits for them (and a little more). */
  async function withRoomHeld<T>(roomId: string, posts: () => Promise<T>): Promise<T> {
    await sql.query('BEGIN');
    await sql.query('SELECT 1 FROM room_stats WHERE room_id = $1 FOR UPDATE', [roomId]);
    const answers = posts();
    try {
      for (let waited = 0; ; waited += 20) {
        await sql.query('SELECT pg_stat_clear_snapshot()'); // the view is read once per transaction otherwise
        const { rows } = await sql.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO "messages"%'`,
        );
        if (rows[0].waiting > 0) {
          break;
        }
        if (waited > 10_000) {
          throw new Error('no post waited for the room');
        }
        await sleep(20);
      }
      await sleep(500); // the other posts pass their checks and queue behind the first
    } finally {
      await sql.query('COMMIT');
    }
    return answers;
  }

  const post = (user: TestUser, roomId: string, body: string) =>
    api(app, user.token).post(`${ROOMS}/${roomId}/messages/`, { body });

  it('should store the posts that queued in one statement, with counts, seen marks and the newest message right', async () => {
    const [owner, member, outsider] = await newUsers(app, 3);
    const room = await newRoom(app, owner, { is_public: false, users: [member] });
    const { queued, refused } = await withRoomHeld(room.id, async () => {
      const head = post(owner, room.id, 'head');
      await sleep(100);
      return {
        queued: Promise.all([
          head,
          ...[owner, member].flatMap((author) =>
            Array.from({ length: 6 }, (_, index) => post(author, room.id, `${author.username} ${index}`)),
          ),
        ]),
        refused: post(outsider, room.id, 'not a member'),
      };
    });
    const answers = await queued;
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    expect((await refused).status).toBe(404);

    // The head ran alone; the twelve behind it, from two authors, in one statement: one shared created time.
    const { rows } = await sql.query<{ created: Date; messages: number }>(
      `SELECT created, count(*)::int AS messages FROM messages WHERE room_id = $1 GROUP BY created ORDER BY created`,
      [room.id],
    );
    expect(rows.map((row) => row.messages)).toEqual([1, 12]);

    const listed = await api(app, member.token).get(`${ROOMS}/${room.id}/messages/?limit=50`);
    expect(listed.body.count).toBe(13);
    const [newest] = listed.body.results;
    for (const [user, own] of [
      [owner, 7],
      [member, 6],
    ] as const) {
      const seen = (await api(app, user.token).get(`${ROOMS}/${room.id}/`)).body;
      expect(seen).toMatchObject({ message_total_count: 13, message_new_count: 13 - own });
      expect(seen.last_message.id).toBe(newest.id);
    }
    const own = await api(app, member.token).get(`${ROOMS}/${room.id}/messages/?limit=50`);
    const mine = own.body.results.filter((message: { user_id: string }) => message.user_id === member.id);
    expect(mine.map((message: { is_seen_by_me: boolean }) => message.is_seen_by_me)).toEqual(mine.map(() => true));
  });
});
