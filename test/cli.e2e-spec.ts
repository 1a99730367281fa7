import { spawn } from 'node:child_process';
import { existsSync, readdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { redisPrefixOf, startApp, TestApp } from './helpers/app';
import { api } from './helpers/api';
import { createTestDatabase, TestDatabase, usingPostgres } from './helpers/database';
import { connect, hasUser } from './helpers/ws';

const CLI = resolve(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The admin CLI on the embedded database (a temporary DATA_DIR) or, when DATABASE_URL is set, on a
 * fresh PostgreSQL database; its effects are checked through the API of the app started afterwards
 * on the same data.
 */
describe(`admin CLI (${usingPostgres() ? 'PostgreSQL' : 'embedded database'})`, () => {
  // Every command is a process of its own that opens the database (seconds each on the embedded one, more
  // on a busy machine), and a test runs up to a dozen of them one after the other.
  jest.setTimeout(240_000);

  let dataDir: string;
  let database: TestDatabase | undefined;

  const cli = (args: string[], input = ''): Promise<CliResult> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          DATA_DIR: dataDir,
          DATABASE_URL: database?.url,
          REDIS_URL: process.env.REDIS_URL,
          REDIS_PREFIX: redisPrefixOf(database, dataDir),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`cli ${args.join(' ')} timed out:\n${stdout}\n${stderr}`));
      }, 90_000);
      child.once('error', fail);
      child.once('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr });
      });
      child.stdin.end(input);
    });

  /** Runs a command that must succeed and returns its stdout. */
  const ok = async (args: string[], input?: string): Promise<string> => {
    const result = await cli(args, input);
    if (result.code !== 0) {
      throw new Error(`cli ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
  };

  const okJson = async <T = any>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '--json'])) as T;

  /** The embedded database is one process's: the app runs only while the CLI does not. */
  const withApp = async (work: (app: TestApp) => Promise<void>): Promise<void> => {
    const app = await startApp({ dataDir, database });
    try {
      await work(app);
    } finally {
      await app.stop();
    }
  };

  const signIn = async (app: TestApp, username: string, password: string) =>
    api(app).post('/api/v1/auth/token/', { username, password });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dfchat-cli-'));
    database = usingPostgres() ? await createTestDatabase() : undefined;
  });

  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('usage', () => {
    it('should list the commands with --help and exit 0', async () => {
      const result = await cli(['--help']);
      expect(result.code).toBe(0);
      for (const command of [
        'migrate',
        'seed',
        'user:create',
        'user:token',
        'room:create',
        'room:add-user',
        'room:add-admin',
        'stats',
      ]) {
        expect(result.stdout).toContain(command);
      }
      const commandHelp = await cli(['room:create', '--help']);
      expect(commandHelp.code).toBe(0);
      expect(commandHelp.stdout).toContain('--owner <username>');
    });

    it('should exit 2 with one line on stderr for each kind of wrong usage, before touching the database', async () => {
      const cases = [
        [],
        ['no-such-command'],
        ['user:token'],
        ['user:token', 'alice', 'bob'],
        ['user:list', '--no-such-option'],
        ['room:create', 'Title without owner'],
        ['room:create', '   ', '--owner', 'alice'],
        ['room:add-user', 'not-an-id', 'alice'],
        ['room:remove-admin', 'not-an-id', 'alice'],
        ['seed', '--users', 'many'],
        ['seed', '--messages', '10'],
        ['user:create', 'bad name!', '--password', 'long enough'],
        ['user:create', 'shorty', '--password', 'short'],
        ['user:create', 'nopassword'],
      ];
      const results = await Promise.all(cases.map((args) => cli(args)));
      results.forEach((result, index) => {
        expect({ args: cases[index], code: result.code }).toEqual({ args: cases[index], code: 2 });
        if (cases[index].length > 0) {
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(result.stderr).toMatch(/^error: /);
        }
      });
      expect(results[11].stderr).toContain('username');
      expect(results[12].stderr).toContain('at least 8 characters');
      // The embedded database was not even created.
      expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(false);
    });
  });

  describe('migrate', () => {
    it('should report pending migrations with --check, apply them, then report none', async () => {
      if (!usingPostgres()) {
        // A new embedded database is a copy of the cluster the build prepared and migrated.
        expect(await cli(['migrate', '--check'])).toEqual({ code: 0, stdout: 'No pending migrations.\n', stderr: '' });
        // One made before the migrations (by an older version, or without the prepared cluster) has them all pending.
        const pgdata = join(dataDir, 'pgdata');
        rmSync(pgdata, { recursive: true, force: true });
        await (await PGlite.create(pgdata)).close();
      }
      const before = await cli(['migrate', '--check']);
      expect(before.code).toBe(1);
      const pending = readdirSync(join(__dirname, '..', 'migrations')).filter((file) => file.endsWith('.ts')).length;
      expect(before.stderr).toMatch(new RegExp(`^error: ${pending} pending migration\\(s\\): Init\\d+(, \\w+)*\\n$`));

      expect(await ok(['migrate'])).toMatch(/^(Applied \w+\n)+$/);

      const after = await cli(['migrate', '--check']);
      expect(after.code).toBe(0);
      expect(after.stdout).toBe('No pending migrations.\n');
      expect(await ok(['migrate'])).toBe('No pending migrations.\n');
    });
  });

  describe('on data it creates', () => {
    const demoRooms: Record<string, string> = {};
    let opsRoomId: string;
    let daveToken: string;
    let aliceToken: string;

    it('should seed the demo data once: running it again adds nothing', async () => {
      const first = await ok(['seed']);
      expect(first).toMatch(/alice\s+alice-password\s+user\s+created/);
      expect(first).toMatch(/admin\s+admin-password\s+site admin\s+created/);
      const statsAfterFirst = await okJson(['stats']);
      expect(statsAfterFirst).toEqual({ users: 4, rooms: 3, messages: 13, reactions: 5, images: 1, online_users: 0 });

      const second = await ok(['seed']);
      expect(second).not.toMatch(/\bcreated\b/);
      expect(second).toMatch(/General\n/);
      expect(await okJson(['stats'])).toEqual(statsAfterFirst);

      const rooms = await okJson<{ id: string; title: string; is_public: boolean; members: number }[]>(['room:list']);
      expect(rooms.map((room) => room.title).sort()).toEqual(['General', 'Project X', 'Random']);
      for (const room of rooms) {
        demoRooms[room.title] = room.id;
      }
      expect(rooms.find((room) => room.title === 'Project X')).toMatchObject({ is_public: false, members: 2 });
      const users = await okJson<{ username: string; is_admin: boolean }[]>(['user:list']);
      expect(users.map((user) => [user.username, user.is_admin])).toEqual([
        ['admin', true],
        ['alice', false],
        ['bob', false],
        ['carol', false],
      ]);
    });

    it('should create users, rooms and memberships with the services the API uses', async () => {
      expect(await ok(['user:create', 'dave', '--first-name', 'Dave'], 'dave-password\n')).toMatch(
        /^Created user dave \(id [0-9a-f-]{36}\)\n$/,
      );
      const erin = await okJson(['user:create', 'erin', '--password', 'erin-password', '--admin', '--email', 'e@x.io']);
      expect(erin).toMatchObject({ username: 'erin', email: 'e@x.io', is_admin: true, first_name: '' });

      const taken = await cli(['user:create', 'DAVE', '--password', 'another-password']);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toBe('error: A user with that username already exists\n');

      const room = await okJson(['room:create', 'Ops', '--owner', 'dave', '--private', '--users', 'alice, bob']);
      expect(room).toMatchObject({ title: 'Ops', is_public: false, message_total_count: 0, last_message: null });
      expect(room.users).toHaveLength(3);
      opsRoomId = room.id;

      expect(await ok(['room:add-user', opsRoomId, 'erin'])).toMatch(/^erin is a member of "Ops"/);
      expect(await ok(['room:remove-user', opsRoomId, 'bob'])).toBe('bob is no longer a member of "Ops"\n');
      expect(await ok(['room:add-admin', opsRoomId, 'alice'])).toBe('alice is an admin of "Ops"\n');
      expect(await ok(['room:add-admin', opsRoomId, 'alice'])).toBe('alice already was an admin of "Ops"\n');
      expect(await ok(['room:add-admin', opsRoomId, 'erin'])).toBe('erin is an admin of "Ops"\n');
      expect(await ok(['room:remove-admin', opsRoomId, 'erin'])).toBe(
        'erin is no longer an admin of "Ops" (still a member)\n',
      );

      const failures: [string[], string][] = [
        [
          ['room:add-user', '00000000-0000-4000-8000-000000000000', 'erin'],
          'no room with id 00000000-0000-4000-8000-000000000000',
        ],
        [['room:create', 'Nope', '--owner', 'ghost'], 'no user named "ghost"'],
        [['user:token', 'ghost'], 'no user named "ghost"'],
        [['room:remove-user', opsRoomId, 'carol'], 'carol was never a member of "Ops"'],
        [['room:remove-admin', opsRoomId, 'dave'], 'dave created "Ops" and stays one of its admins'],
        [['room:remove-admin', opsRoomId, 'erin'], 'erin is not an admin of "Ops"'],
        [
          ['room:add-admin', '00000000-0000-4000-8000-000000000000', 'erin'],
          'no room with id 00000000-0000-4000-8000-000000000000',
        ],
      ];
      for (const [args, message] of failures) {
        expect(await cli(args)).toEqual({ code: 1, stdout: '', stderr: `error: ${message}\n` });
      }
      // An admin is kept a member: naming one who never was makes them a member too.
      expect(await ok(['room:add-admin', opsRoomId, 'carol'])).toBe('carol is an admin of "Ops"\n');

      daveToken = (await ok(['user:token', 'dave'])).trim();
      aliceToken = (await ok(['user:token', 'alice'])).trim();
      expect(daveToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('should show all of it through the API', async () => {
      await withApp(async (app) => {
        const me = await api(app, daveToken).get('/api/v1/auth/users/me/');
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ username: 'dave', first_name: 'Dave' });
        expect((await signIn(app, 'dave', 'dave-password')).status).toBe(200);
        expect((await signIn(app, 'alice', 'alice-password')).status).toBe(200);

        const ops = await api(app, daveToken).get(`/api/v1/chat/rooms/${opsRoomId}/`);
        expect(ops.status).toBe(200);
        const ids = Object.fromEntries(
          await Promise.all(
            ['dave', 'alice', 'bob', 'carol', 'erin'].map(async (name) => {
              const token = (await signIn(app, name, `${name}-password`)).body.token as string;
              return [name, (await api(app, token).get('/api/v1/auth/users/me/')).body.id as string];
            }),
          ),
        );
        expect(ops.body.users.sort()).toEqual([ids.dave, ids.alice, ids.carol, ids.erin].sort());
        expect(ops.body.admins).toEqual([ids.dave, ids.alice, ids.carol].sort());
        // Alice, made an admin, may change the room; Erin, an admin no longer, may not.
        const aliceEdit = await api(app, aliceToken).patch(`/api/v1/chat/rooms/${opsRoomId}/`, {
          description: 'Run by Dave and Alice',
        });
        expect(aliceEdit.status).toBe(200);
        const erinToken = (await signIn(app, 'erin', 'erin-password')).body.token as string;
        const erinEdit = await api(app, erinToken).patch(`/api/v1/chat/rooms/${opsRoomId}/`, { title: 'Mine' });
        expect(erinEdit.status).toBe(403);

        const general = await api(app, aliceToken).get(`/api/v1/chat/rooms/${demoRooms.General}/`);
        expect(general.body).toMatchObject({ title: 'General', is_public: true, message_total_count: 7 });
        expect(general.body.last_message).toMatchObject({ body: 'That is the new logo, by the way.' });
        // Alice saw only her own messages; Bob marked everything seen.
        expect(general.body.message_new_count).toBe(5);
        const bobToken = (await signIn(app, 'bob', 'bob-password')).body.token as string;
        const generalForBob = await api(app, bobToken).get(`/api/v1/chat/rooms/${demoRooms.General}/`);
        expect(generalForBob.body.message_new_count).toBe(0);

        const messages = await api(app, aliceToken).get(`/api/v1/chat/rooms/${demoRooms.General}/messages/`);
        expect(messages.body.count).toBe(7);
        const welcome = messages.body.results.find((message: any) => message.body.startsWith('Welcome'));
        expect(welcome.reactions.map((reaction: any) => reaction.body).sort()).toEqual(['❤️', '👍'].sort());
        const thread = await api(app, aliceToken).get(
          `/api/v1/chat/rooms/${demoRooms.General}/messages/?parent_id=${welcome.id}`,
        );
        expect(thread.body.count).toBe(2);
        const [image] = messages.body.results.flatMap((message: any) => message.images);
        expect(image).toMatchObject({ width: 160, height: 120, name: 'df-chat-demo.png', room_id: demoRooms.General });
        const key = basename(image.image as string);
        const file = readFileSync(join(dataDir, 'media', key.slice(0, 2), key));
        expect(file.subarray(1, 4).toString()).toBe('PNG');

        // Project X is private: Carol, not a member, does not see it.
        const carolToken = (await signIn(app, 'carol', 'carol-password')).body.token as string;
        expect((await api(app, carolToken).get(`/api/v1/chat/rooms/${demoRooms['Project X']}/`)).status).toBe(404);
        expect((await api(app, aliceToken).get(`/api/v1/chat/rooms/${opsRoomId}/`)).status).toBe(200);

        if (usingPostgres()) {
          // On PostgreSQL the CLI and the app run together, and the app sees the change at once.
          await ok(['room:add-user', opsRoomId, 'carol']);
          expect((await api(app, carolToken).get(`/api/v1/chat/rooms/${opsRoomId}/`)).status).toBe(200);
          const carolId = (await api(app, carolToken).get('/api/v1/auth/users/me/')).body.id as string;
          const socket = await connect(app, carolToken);
          try {
            await socket.waitFor(hasUser(carolId, (roomUser) => roomUser.is_online === true));
            expect(await okJson(['stats'])).toMatchObject({ online_users: 1 });
            if (process.env.REDIS_URL) {
              // Through the shared Redis, a removal by the CLI reaches Carol's live connection at once.
              await ok(['room:remove-user', opsRoomId, 'carol']);
              await socket.waitFor(hasUser(carolId, (roomUser) => roomUser.is_active === false));
            }
          } finally {
            await socket.close();
          }
        } else {
          const refused = await cli(['user:list']);
          expect(refused.code).toBe(1);
          expect(refused.stdout).toBe('');
          expect(refused.stderr).toMatch(
            /^error: the embedded database in .* is in use by another process \(pid \d+\)/,
          );
          expect(refused.stderr.trim().split('\n')).toHaveLength(1);
        }
      });
    });

    it('should make old tokens stop working when the password is set', async () => {
      const tooShort = await cli(['user:set-password', 'dave'], 'short\n');
      expect(tooShort.code).toBe(2);
      expect(await ok(['user:set-password', 'dave'], 'new-dave-password\n')).toMatch(/^Changed the password of dave/);
      const freshToken = (await ok(['user:token', 'dave'])).trim();
      await withApp(async (app) => {
        expect((await api(app, daveToken).get('/api/v1/auth/users/me/')).status).toBe(401);
        expect((await api(app, freshToken).get('/api/v1/auth/users/me/')).status).toBe(200);
        expect((await signIn(app, 'dave', 'dave-password')).status).toBe(401);
        expect((await signIn(app, 'dave', 'new-dave-password')).status).toBe(200);
      });
    });
  });

  describe('bulk seed', () => {
    it('should load users, rooms and messages with consistent counters', async () => {
      const before = await okJson(['stats']);
      const result = await cli(['seed', '--users', '30', '--rooms', '4', '--messages', '200', '--members', '6']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/messages\s+\[#+\] 100% 200\/200/);
      const tag = /bulk_([0-9a-f]{6})_1 /.exec(result.stdout)![1];
      expect(result.stdout).toContain('password "bulk-password"');

      const stats = await okJson(['stats']);
      expect(stats).toMatchObject({
        users: before.users + 30,
        rooms: before.rooms + 4,
        messages: before.messages + 200,
      });
      const bulkRooms = (
        await okJson<{ id: string; title: string; members: number; message_total_count: number }[]>(['room:list'])
      ).filter((room) => room.title.startsWith(`Bulk ${tag} `));
      expect(bulkRooms).toHaveLength(4);
      expect(bulkRooms.every((room) => room.members === 6)).toBe(true);
      expect(bulkRooms.reduce((sum, room) => sum + room.message_total_count, 0)).toBe(200);

      await withApp(async (app) => {
        for (const member of [1, 7]) {
          const signedIn = await signIn(app, `bulk_${tag}_${member}`, 'bulk-password');
          expect(signedIn.status).toBe(200);
          const token = signedIn.body.token as string;
          const me = (await api(app, token).get('/api/v1/auth/users/me/')).body.id as string;
          const rooms = await api(app, token).get('/api/v1/chat/rooms/?limit=200');
          for (const room of rooms.body.results.filter((r: any) => r.title.startsWith(`Bulk ${tag} `))) {
            const total = bulkRooms.find((bulkRoom) => bulkRoom.id === room.id)!.message_total_count;
            expect(room.message_total_count).toBe(total);
            const history = await api(app, token).get(`/api/v1/chat/rooms/${room.id}/messages/?limit=200`);
            expect(history.body.count).toBe(total);
            expect(history.body.results).toHaveLength(total);
            if (total > 0) {
              expect(room.last_message.id).toBe(history.body.results[0].id);
            }
            // A member has seen exactly their own messages.
            const own = history.body.results.filter((message: any) => message.user_id === me);
            expect(room.message_new_count).toBe(total - own.length);
            expect(own.every((message: any) => message.is_seen_by_me && message.is_me)).toBe(true);
            for (const reply of history.body.results.filter((message: any) => message.parent_id)) {
              expect(history.body.results.some((message: any) => message.id === reply.parent_id)).toBe(true);
            }
          }
        }
      });
    });
  });

  describe('password prompt on a terminal', () => {
    /**
     * Runs a command on a pseudo-terminal (util-linux `script`), typing each answer once its prompt
     * shows; resolves with everything the terminal showed and the exit code.
     */
    const onTerminal = (args: string[], answers: { prompt: string; keys: string }[]): Promise<CliResult> =>
      new Promise((done, fail) => {
        const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(' ');
        const child = spawn('script', ['-qefc', command, '/dev/null'], {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            TERM: 'xterm',
            NODE_ENV: 'test',
            DATA_DIR: dataDir,
            DATABASE_URL: database?.url,
            REDIS_URL: process.env.REDIS_URL,
            REDIS_PREFIX: redisPrefixOf(database, dataDir),
          },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let shown = '';
        let answered = 0;
        let from = 0;
        const onData = (chunk: Buffer) => {
          shown += chunk.toString();
          const next = answers[answered];
          if (next && shown.indexOf(next.prompt, from) >= 0) {
            answered++;
            from = shown.length;
            child.stdin.write(next.keys);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          fail(new Error(`cli ${args.join(' ')} timed out on the terminal:\n${shown}`));
        }, 90_000);
        child.once('error', fail);
        child.once('close', (code) => {
          clearTimeout(timer);
          done({ code, stdout: shown, stderr: '' });
        });
      });

    it('should ask twice without echoing, and keep arrow keys out of the password', async () => {
      const up = '\x1b[A';
      const down = '\x1b[B';
      const result = await onTerminal(
        ['user:create', 'gwen'],
        [
          { prompt: 'Password', keys: `gwen-${up}secret${down}-pw\r` },
          { prompt: 'Password (again)', keys: 'gwen-secret-pw\r' },
        ],
      );
      expect({ code: result.code, shown: result.stdout }).toEqual({
        code: 0,
        shown: expect.stringContaining('Created user gwen'),
      });
      expect(result.stdout).not.toContain('secret');
      await withApp(async (app) => {
        expect((await signIn(app, 'gwen', 'gwen-secret-pw')).status).toBe(200);
      });
    });

    it('should stop with "cancelled" on Ctrl+C', async () => {
      const result = await onTerminal(['user:create', 'hugo'], [{ prompt: 'Password', keys: 'hugo-\x03' }]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('cancelled');
    });
  });

  describe('configuration', () => {
    it('should stop on bad variables with one line each and exit 1', async () => {
      const result = await new Promise<CliResult>((done) => {
        const child = spawn(process.execPath, [CLI, 'stats'], {
          env: { PATH: process.env.PATH, DATA_DIR: dataDir, DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' },
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('close', (code) => done({ code, stdout: '', stderr }));
      });
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')).toEqual([
        'error: configuration: DATABASE_URL must be a postgres:// or postgresql:// URL with a host',
        'error: configuration: LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
        '',
      ]);
    });
  });
});
