import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse, errorCodes, request } from './helpers/api';
import { newMessage, newRoom, newUser, newUsers, TestUser } from './helpers/factories';

/**
 * Who may do what, route by route, as the contract says: a caller who may not see a room gets 404 for
 * everything in it; one who sees it but may not change it gets 403.
 */

const ROOMS = '/api/v1/chat/rooms';

const ROLES = ['outsider', 'former member', 'member', 'author', 'admin', 'admin who left'] as const;
type Role = (typeof ROLES)[number];
type Visibility = 'public' | 'private';
/** Expected statuses, in the order of ROLES. */
type Row = [number, number, number, number, number, number];

interface World {
  room: { id: string; title: string };
  /** A message of the author's. */
  message: { id: string; body: string };
}

interface Users {
  creator: TestUser;
  member: TestUser;
  author: TestUser;
  former: TestUser;
  outsider: TestUser;
  newcomer: TestUser;
}

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (world: World, users: Users) => string;
  body?: (world: World, users: Users, caller: TestUser) => unknown;
  public: Row;
  private: Row;
  /** For routes that change things: asserts the change happened, or that nothing changed when refused. */
  verify?: (world: World, users: Users, succeeded: boolean) => Promise<void>;
}

const room = (world: World) => `${ROOMS}/${world.room.id}/`;
const message = (world: World) => `${ROOMS}/${world.room.id}/messages/${world.message.id}/`;
const memberOf = (world: World, users: Users) => `${ROOMS}/${world.room.id}/users/${users.member.id}/`;

/** Routes whose success changes nothing that another cell depends on; they share one world per kind of room. */
// prettier-ignore
const READ_ROUTES: Route[] = [
  // Statuses in the order of ROLES: outsider, former member, member, author, admin, admin who left.
  { name: 'GET room', method: 'GET', path: room,                public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
  { name: 'PUT room', method: 'PUT', path: room, body: (w) => ({ title: w.room.title }),
                                                                  public: [403, 403, 403, 403, 200, 200], private: [404, 404, 403, 403, 200, 200] },
  { name: 'PATCH room', method: 'PATCH', path: room, body: (w) => ({ title: w.room.title }),
                                                                  public: [403, 403, 403, 403, 200, 200], private: [404, 404, 403, 403, 200, 200] },
  { name: 'mute room', method: 'POST', path: (w) => `${room(w)}mute/`,
                                                                  public: [201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201] },
  { name: 'unmute room', method: 'POST', path: (w) => `${room(w)}unmute/`,
                                                                  public: [201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201] },
  { name: 'list room users', method: 'GET', path: (w) => `${room(w)}users/`,
                                                                  public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
  { name: 'room user names', method: 'GET', path: (w) => `${room(w)}users/names/`,
                                                                  public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
  { name: 'GET room user', method: 'GET', path: memberOf,
                                                                  public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
  { name: 'PUT room user', method: 'PUT', path: memberOf, body: () => ({ is_active: true }),
                                                                  public: [403, 403, 403, 403, 200, 200], private: [404, 404, 403, 403, 200, 200] },
  { name: 'PATCH room user', method: 'PATCH', path: memberOf, body: () => ({ is_active: true }),
                                                                  public: [403, 403, 403, 403, 200, 200], private: [404, 404, 403, 403, 200, 200] },
  { name: 'list messages', method: 'GET', path: (w) => `${room(w)}messages/`,
                                                                  public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
  { name: 'GET message', method: 'GET', path: message,
                                                                  public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
  { name: 'PUT message', method: 'PUT', path: message, body: (w) => ({ body: w.message.body }),
                                                                  public: [403, 403, 403, 200, 403, 403], private: [404, 404, 403, 200, 403, 403] },
  { name: 'PATCH message', method: 'PATCH', path: message, body: (w) => ({ body: w.message.body }),
                                                                  public: [403, 403, 403, 200, 403, 403], private: [404, 404, 403, 200, 403, 403] },
  { name: 'mark seen', method: 'POST', path: (w) => `${room(w)}messages/seen/`, body: (w) => ({ message_ids: [w.message.id] }),
                                                                  public: [200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200] },
];

/** Routes whose success changes membership or deletes things: each cell gets a world of its own. */
// prettier-ignore
const WRITE_ROUTES: Route[] = [
  // Statuses in the order of ROLES: outsider, former member, member, author, admin, admin who left.
  { name: 'DELETE room', method: 'DELETE', path: room,
                                                                  public: [403, 403, 403, 403, 204, 204], private: [404, 404, 403, 403, 204, 204],
    verify: async (w, u, succeeded) => {
      expect((await api(app, u.creator.token).get(room(w))).status).toBe(succeeded ? 404 : 200);
    } },
  { name: 'DELETE message', method: 'DELETE', path: message,
                                                                  public: [403, 403, 403, 204, 204, 204], private: [404, 404, 403, 204, 204, 204],
    verify: async (w, u, succeeded) => {
      expect((await api(app, u.author.token).get(message(w))).status).toBe(succeeded ? 404 : 200);
    } },
  { name: 'DELETE room user (the member)', method: 'DELETE', path: memberOf,
                                                                  public: [403, 403, 204, 403, 204, 204], private: [404, 404, 204, 403, 204, 204],
    verify: async (w, u, succeeded) => {
      const roomUser = await api(app, u.creator.token).get(memberOf(w, u));
      expect(roomUser.body.is_active).toBe(!succeeded);
    } },
  { name: 'add oneself as room user', method: 'POST', path: (w) => `${room(w)}users/`, body: (_w, _u, caller) => ({ user_id: caller.id }),
                                                                  public: [201, 201, 201, 201, 201, 201], private: [404, 404, 403, 403, 201, 201] },
  { name: 'add someone else as room user', method: 'POST', path: (w) => `${room(w)}users/`, body: (_w, u) => ({ user_id: u.newcomer.id }),
                                                                  public: [403, 403, 403, 403, 201, 201], private: [404, 404, 403, 403, 201, 201],
    verify: async (w, u, succeeded) => {
      const roomUser = await api(app, u.creator.token).get(`${room(w)}users/${u.newcomer.id}/`);
      expect(roomUser.status).toBe(succeeded ? 200 : 404);
    } },
  { name: 'make a member an admin', method: 'POST', path: (w) => `${room(w)}admins/`, body: (_w, u) => ({ user_id: u.member.id }),
                                                                  public: [403, 403, 403, 403, 201, 201], private: [404, 404, 403, 403, 201, 201],
    verify: async (w, u, succeeded) => {
      const admins = (await api(app, u.creator.token).get(room(w))).body.admins as string[];
      expect(admins.includes(u.member.id)).toBe(succeeded);
    } },
  { name: 'take the creator off the admins', method: 'DELETE', path: (w, u) => `${room(w)}admins/${u.creator.id}/`,
                                                                  public: [403, 403, 403, 403, 400, 400], private: [404, 404, 403, 403, 400, 400],
    verify: async (w, u) => {
      const admins = (await api(app, u.creator.token).get(room(w))).body.admins as string[];
      expect(admins).toContain(u.creator.id);
    } },
  { name: 'take a non-admin off the admins', method: 'DELETE', path: (w, u) => `${room(w)}admins/${u.member.id}/`,
                                                                  public: [403, 403, 403, 403, 404, 404], private: [404, 404, 403, 403, 404, 404] },
  { name: 'post message', method: 'POST', path: (w) => `${room(w)}messages/`, body: () => ({ body: 'hello' }),
                                                                  public: [201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201],
    verify: async (w, u, succeeded) => {
      const total = (await api(app, u.creator.token).get(room(w))).body.message_total_count;
      expect(total).toBe(succeeded ? 2 : 1);
    } },
];

let app: TestApp;
let users: Users;

function callerOf(role: Role): TestUser {
  switch (role) {
    case 'outsider':
      return users.outsider;
    case 'former member':
      return users.former;
    case 'member':
      return users.member;
    case 'author':
      return users.author;
    case 'admin':
    case 'admin who left':
      return users.creator;
  }
}

/**
 * A room with its creator (an admin), a member, the author of one message, and a former member who left.
 * With `adminLeft` the creator left too: still an admin, no longer a member.
 */
async function newWorld(visibility: Visibility, adminLeft: boolean): Promise<World> {
  const created = await newRoom(app, users.creator, {
    is_public: visibility === 'public',
    users: [users.member, users.author, users.former],
  });
  const posted = await newMessage(app, users.author, created.id);
  const leave = async (user: TestUser) => {
    const response = await api(app, user.token).delete(`${ROOMS}/${created.id}/users/${user.id}/`);
    expect(response.status).toBe(204);
  };
  await leave(users.former);
  if (adminLeft) {
    await leave(users.creator);
  }
  return { room: created, message: posted };
}

function send(route: Route, world: World, caller: TestUser | undefined): Promise<ApiResponse> {
  return request(app, route.method, route.path(world, users), {
    token: caller?.token,
    body: route.body && caller ? route.body(world, users, caller) : undefined,
  });
}

function expectStatus(response: ApiResponse, expected: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: expected });
  if (expected === 403) {
    expect(errorCodes(response)).toEqual(['permission_denied']);
  }
  if (expected === 404) {
    expect(errorCodes(response)).toEqual(['not_found']);
  }
}

function cells(routes: Route[]) {
  return routes.flatMap((route) =>
    (['public', 'private'] as const).flatMap((visibility) =>
      ROLES.map((role, index) => ({ route, visibility, role, expected: route[visibility][index] })),
    ),
  );
}

const label = (cell: { route: Route; visibility: Visibility; role: Role; expected: number }) =>
  `should answer ${cell.expected} to ${cell.role} for ${cell.route.name} in a ${cell.visibility} room`;

beforeAll(async () => {
  app = await startIsolatedApp();
  const [creator, member, author, former, outsider, newcomer] = await newUsers(app, 6);
  users = { creator, member, author, former, outsider, newcomer };
});

afterAll(async () => {
  await app?.stop();
});

describe('permissions: anonymous callers', () => {
  let world: World;

  beforeAll(async () => {
    world = await newWorld('public', false);
  });

  it.each([...READ_ROUTES, ...WRITE_ROUTES].map((route) => [route.name, route] as const))(
    'should answer 401 to an anonymous caller for %s',
    async (_name, route) => {
      const response = await send(route, world, undefined);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['not_authenticated']);
    },
  );

  it('should answer 401 to an anonymous caller listing or creating rooms, and for rooms that do not exist', async () => {
    for (const response of [
      await api(app).get(`${ROOMS}/`),
      await api(app).post(`${ROOMS}/`, { title: 'no' }),
      await api(app).get(`${ROOMS}/00000000-0000-4000-8000-000000000000/`),
      await api(app).get(`${ROOMS}/not-an-id/messages/`),
    ]) {
      expect(response.status).toBe(401);
    }
  });
});

describe('permissions: routes that change nothing another cell depends on', () => {
  const worlds = new Map<string, World>();
  const worldFor = async (visibility: Visibility, role: Role) => {
    const key = `${visibility} ${role === 'admin who left'}`;
    if (!worlds.has(key)) {
      worlds.set(key, await newWorld(visibility, role === 'admin who left'));
    }
    return worlds.get(key)!;
  };

  it.each(cells(READ_ROUTES).map((cell) => [label(cell), cell] as const))('%s', async (_label, cell) => {
    const world = await worldFor(cell.visibility, cell.role);
    expectStatus(await send(cell.route, world, callerOf(cell.role)), cell.expected);
  });

  // prettier-ignore
  const LISTED: Record<Visibility, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
    //         outsider former member author admin  left admin
    public:  [true,    true,  true,  true,  true,  true],
    private: [false,   false, true,  true,  true,  true],
  };
  it.each(
    (['public', 'private'] as const).flatMap((visibility) =>
      ROLES.map((role, index) => [LISTED[visibility][index], role, visibility, index] as const),
    ),
  )('should list the room (%s) to %s in a %s room', async (listed, role, visibility) => {
    const world = await worldFor(visibility, role);
    const response = await api(app, callerOf(role).token).get(`${ROOMS}/?limit=200`);
    expect(response.status).toBe(200);
    const ids = (response.body.results as { id: string }[]).map((item) => item.id);
    expect(ids.includes(world.room.id)).toBe(listed);
  });

  it('should let any signed-in user create a room', async () => {
    const someone = await newUser(app);
    expect((await api(app, someone.token).post(`${ROOMS}/`, { title: 'mine' })).status).toBe(201);
  });
});

describe('permissions: routes that change membership or delete', () => {
  it.each(cells(WRITE_ROUTES).map((cell) => [label(cell), cell] as const))('%s', async (_label, cell) => {
    const world = await newWorld(cell.visibility, cell.role === 'admin who left');
    expectStatus(await send(cell.route, world, callerOf(cell.role)), cell.expected);
    await cell.route.verify?.(world, users, cell.expected < 300);
  });
});
