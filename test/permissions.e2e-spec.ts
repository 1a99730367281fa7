import sharp from 'sharp';
import { startIsolatedApp, TestApp } from './helpers/app';
import { api, ApiResponse, errorCodes, request } from './helpers/api';
import { newMessage, newRoom, newUser, newUsers, TestUser } from './helpers/factories';
import { connect, ServerFrame } from './helpers/ws';

/**
 * Who may do what, as data: every route of the OpenAPI document and every socket action that concerns
 * a room, for every kind of caller, in a public and a private room. A caller who may not see a room gets
 * 404 for everything in it; one who sees it but may not change it gets 403. A route or action without a
 * row fails the completeness test at the end.
 */

const ROOMS = '/api/v1/chat/rooms';
const IMAGES = '/api/v1/chat/images/';

const ROLES = ['outsider', 'former member', 'member', 'author', 'room admin', 'creator', 'creator who left'] as const;
type Role = (typeof ROLES)[number];
type Visibility = 'public' | 'private';
/** Expected statuses, in the order of ROLES (socket actions: 200 for an ack, else the status of the error code). */
type Row = [number, number, number, number, number, number, number];

interface World {
  room: { id: string; title: string };
  /** A message of the author's. */
  message: { id: string; body: string };
  /** An image of the author's on that message, made when a route needs it. */
  image?: { id: string };
}

interface Users {
  creator: TestUser;
  member: TestUser;
  author: TestUser;
  former: TestUser;
  outsider: TestUser;
  newcomer: TestUser;
  roomAdmin: TestUser;
}

interface Route {
  name: string;
  /** The OpenAPI operation, or the socket action, that the row is about. */
  covers: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'UPLOAD' | 'ACTION';
  path: (world: World, users: Users) => string;
  /** JSON body; for UPLOAD the multipart fields; for ACTION the action frame. */
  body?: (world: World, users: Users, caller: TestUser) => unknown;
  /** Made before the call (an image to act on). */
  needsImage?: boolean;
  public: Row;
  private: Row;
  /** For routes that change things: asserts the change happened, or that nothing changed when refused. */
  verify?: (world: World, users: Users, succeeded: boolean) => Promise<void>;
}

const room = (world: World) => `${ROOMS}/${world.room.id}/`;
const message = (world: World) => `${ROOMS}/${world.room.id}/messages/${world.message.id}/`;
const memberOf = (world: World, users: Users) => `${ROOMS}/${world.room.id}/users/${users.member.id}/`;
const image = (world: World) => `${IMAGES}${world.image!.id}/`;
const nowhere = () => '';

/** Routes whose success changes nothing that another cell depends on; they share one world per kind of room. */
// prettier-ignore
const READ_ROUTES: Route[] = [
  // Statuses in the order of ROLES: outsider, former member, member, author, room admin, creator, creator who left.
  { name: 'GET room', covers: 'getRoom', method: 'GET', path: room,                public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'PUT room', covers: 'replaceRoom', method: 'PUT', path: room, body: (w) => ({ title: w.room.title }),
                                                                  public: [403, 403, 403, 403, 200, 200, 200], private: [404, 404, 403, 403, 200, 200, 200] },
  { name: 'PATCH room', covers: 'updateRoom', method: 'PATCH', path: room, body: (w) => ({ title: w.room.title }),
                                                                  public: [403, 403, 403, 403, 200, 200, 200], private: [404, 404, 403, 403, 200, 200, 200] },
  { name: 'mute room', covers: 'muteRoom', method: 'POST', path: (w) => `${room(w)}mute/`,
                                                                  public: [201, 201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201, 201] },
  { name: 'unmute room', covers: 'unmuteRoom', method: 'POST', path: (w) => `${room(w)}unmute/`,
                                                                  public: [201, 201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201, 201] },
  { name: 'list room users', covers: 'listRoomUsers', method: 'GET', path: (w) => `${room(w)}users/`,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'room user names', covers: 'listRoomUserNames', method: 'GET', path: (w) => `${room(w)}users/names/`,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'GET room user', covers: 'getRoomUser', method: 'GET', path: memberOf,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'PUT room user', covers: 'replaceRoomUser', method: 'PUT', path: memberOf, body: () => ({ is_active: true }),
                                                                  public: [403, 403, 403, 403, 200, 200, 200], private: [404, 404, 403, 403, 200, 200, 200] },
  { name: 'PATCH room user', covers: 'updateRoomUser', method: 'PATCH', path: memberOf, body: () => ({ is_active: true }),
                                                                  public: [403, 403, 403, 403, 200, 200, 200], private: [404, 404, 403, 403, 200, 200, 200] },
  { name: 'list messages', covers: 'listMessages', method: 'GET', path: (w) => `${room(w)}messages/`,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'GET message', covers: 'getMessage', method: 'GET', path: message,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'PUT message', covers: 'replaceMessage', method: 'PUT', path: message, body: (w) => ({ body: w.message.body }),
                                                                  public: [403, 403, 403, 200, 403, 403, 403], private: [404, 404, 403, 200, 403, 403, 403] },
  { name: 'PATCH message', covers: 'updateMessage', method: 'PATCH', path: message, body: (w) => ({ body: w.message.body }),
                                                                  public: [403, 403, 403, 200, 403, 403, 403], private: [404, 404, 403, 200, 403, 403, 403] },
  { name: 'mark seen', covers: 'markMessagesSeen', method: 'POST', path: (w) => `${room(w)}messages/seen/`, body: (w) => ({ message_ids: [w.message.id] }),
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'room changes', covers: 'listRoomChanges', method: 'GET', path: (w) => `${room(w)}changes/`,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'search in the room', covers: 'searchMessages', method: 'GET', path: (w) => `/api/v1/chat/search/?q=hello&room_id=${w.room.id}`,
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: "GET the author's image", covers: 'getImage', method: 'GET', path: image, needsImage: true,
                                                                  public: [404, 404, 404, 200, 404, 404, 404], private: [404, 404, 404, 200, 404, 404, 404] },
  { name: "PUT the author's image", covers: 'replaceImage', method: 'PUT', path: image, needsImage: true, body: (w) => ({ message_id: w.message.id }),
                                                                  public: [404, 404, 404, 200, 404, 404, 404], private: [404, 404, 404, 200, 404, 404, 404] },
  { name: "PATCH the author's image", covers: 'updateImage', method: 'PATCH', path: image, needsImage: true, body: (w) => ({ message_id: w.message.id }),
                                                                  public: [404, 404, 404, 200, 404, 404, 404], private: [404, 404, 404, 200, 404, 404, 404] },
  { name: 'seen (socket)', covers: 'seen', method: 'ACTION', path: nowhere, body: (w) => ({ action: 'seen', room_id: w.room.id, message_ids: [w.message.id] }),
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  { name: 'typing (socket)', covers: 'typing', method: 'ACTION', path: nowhere, body: (w) => ({ action: 'typing', room_id: w.room.id }),
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
  // 200: replayed; 404: answered in `resync` (nothing of the room replayed).
  { name: 'resume (socket)', covers: 'resume', method: 'ACTION', path: nowhere, body: (w) => ({ action: 'resume', rooms: { [w.room.id]: 0 } }),
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200] },
];

/** Routes whose success changes membership or deletes things: each cell gets a world of its own. */
// prettier-ignore
const WRITE_ROUTES: Route[] = [
  // Statuses in the order of ROLES: outsider, former member, member, author, room admin, creator, creator who left.
  { name: 'DELETE room', covers: 'deleteRoom', method: 'DELETE', path: room,
                                                                  public: [403, 403, 403, 403, 204, 204, 204], private: [404, 404, 403, 403, 204, 204, 204],
    verify: async (w, u, succeeded) => {
      expect((await api(app, u.creator.token).get(room(w))).status).toBe(succeeded ? 404 : 200);
    } },
  { name: 'DELETE message', covers: 'deleteMessage', method: 'DELETE', path: message,
                                                                  public: [403, 403, 403, 204, 204, 204, 204], private: [404, 404, 403, 204, 204, 204, 204],
    verify: async (w, u, succeeded) => {
      expect((await api(app, u.author.token).get(message(w))).status).toBe(succeeded ? 404 : 200);
    } },
  { name: 'DELETE room user (the member)', covers: 'removeRoomUser', method: 'DELETE', path: memberOf,
                                                                  public: [403, 403, 204, 403, 204, 204, 204], private: [404, 404, 204, 403, 204, 204, 204],
    verify: async (w, u, succeeded) => {
      const roomUser = await api(app, u.creator.token).get(memberOf(w, u));
      expect(roomUser.body.is_active).toBe(!succeeded);
    } },
  { name: 'add oneself as room user', covers: 'addRoomUser', method: 'POST', path: (w) => `${room(w)}users/`, body: (_w, _u, caller) => ({ user_id: caller.id }),
                                                                  public: [201, 201, 201, 201, 201, 201, 201], private: [404, 404, 403, 403, 201, 201, 201] },
  { name: 'add someone else as room user', covers: 'addRoomUser', method: 'POST', path: (w) => `${room(w)}users/`, body: (_w, u) => ({ user_id: u.newcomer.id }),
                                                                  public: [403, 403, 403, 403, 201, 201, 201], private: [404, 404, 403, 403, 201, 201, 201],
    verify: async (w, u, succeeded) => {
      const roomUser = await api(app, u.creator.token).get(`${room(w)}users/${u.newcomer.id}/`);
      expect(roomUser.status).toBe(succeeded ? 200 : 404);
    } },
  { name: 'make a member an admin', covers: 'addRoomAdmin', method: 'POST', path: (w) => `${room(w)}admins/`, body: (_w, u) => ({ user_id: u.member.id }),
                                                                  public: [403, 403, 403, 403, 201, 201, 201], private: [404, 404, 403, 403, 201, 201, 201],
    verify: async (w, u, succeeded) => {
      const admins = (await api(app, u.creator.token).get(room(w))).body.admins as string[];
      expect(admins.includes(u.member.id)).toBe(succeeded);
    } },
  { name: 'take the creator off the admins', covers: 'removeRoomAdmin', method: 'DELETE', path: (w, u) => `${room(w)}admins/${u.creator.id}/`,
                                                                  public: [403, 403, 403, 403, 400, 400, 400], private: [404, 404, 403, 403, 400, 400, 400],
    verify: async (w, u) => {
      const admins = (await api(app, u.creator.token).get(room(w))).body.admins as string[];
      expect(admins).toContain(u.creator.id);
    } },
  { name: 'take a non-admin off the admins', covers: 'removeRoomAdmin', method: 'DELETE', path: (w, u) => `${room(w)}admins/${u.member.id}/`,
                                                                  public: [403, 403, 403, 403, 404, 404, 404], private: [404, 404, 403, 403, 404, 404, 404] },
  { name: 'post message', covers: 'createMessage', method: 'POST', path: (w) => `${room(w)}messages/`, body: () => ({ body: 'hello' }),
                                                                  public: [201, 201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201, 201],
    verify: async (w, u, succeeded) => {
      const total = (await api(app, u.creator.token).get(room(w))).body.message_total_count;
      expect(total).toBe(succeeded ? 2 : 1);
    } },
  { name: "DELETE the author's image", covers: 'deleteImage', method: 'DELETE', path: image, needsImage: true,
                                                                  public: [404, 404, 404, 204, 404, 404, 404], private: [404, 404, 404, 204, 404, 404, 404],
    verify: async (w, u, succeeded) => {
      expect((await api(app, u.author.token).get(image(w))).status).toBe(succeeded ? 404 : 200);
    } },
  { name: 'upload an image to the room', covers: 'uploadImage', method: 'UPLOAD', path: () => IMAGES, body: (w) => ({ room_id: w.room.id }),
                                                                  public: [201, 201, 201, 201, 201, 201, 201], private: [404, 404, 201, 201, 201, 201, 201],
    verify: async (w, u, succeeded) => {
      const total = (await api(app, u.creator.token).get(room(w))).body.message_total_count;
      expect(total).toBe(succeeded ? 2 : 1);
    } },
  { name: "upload an image to the author's message", covers: 'uploadImage', method: 'UPLOAD', path: () => IMAGES, body: (w) => ({ message_id: w.message.id }),
                                                                  public: [403, 403, 403, 201, 403, 403, 403], private: [400, 400, 403, 201, 403, 403, 403],
    verify: async (w, u, succeeded) => {
      expect((await api(app, u.author.token).get(message(w))).body.images).toHaveLength(succeeded ? 1 : 0);
    } },
  { name: 'send (socket)', covers: 'send', method: 'ACTION', path: nowhere, body: (w) => ({ action: 'send', room_id: w.room.id, body: 'hello' }),
                                                                  public: [200, 200, 200, 200, 200, 200, 200], private: [404, 404, 200, 200, 200, 200, 200],
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
    case 'room admin':
      return users.roomAdmin;
    case 'creator':
    case 'creator who left':
      return users.creator;
  }
}

/**
 * A room with its creator (an admin), a member, the author of one message, a member the creator made an
 * admin, and a former member who left. With `adminLeft` the creator left too: still an admin, no longer
 * a member.
 */
async function newWorld(visibility: Visibility, adminLeft: boolean): Promise<World> {
  const created = await newRoom(app, users.creator, {
    is_public: visibility === 'public',
    users: [users.member, users.author, users.former, users.roomAdmin],
  });
  const madeAdmin = await api(app, users.creator.token).post(`${ROOMS}/${created.id}/admins/`, {
    user_id: users.roomAdmin.id,
  });
  expect(madeAdmin.status).toBe(201);
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

const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();

/** A multipart upload of a small PNG with these fields. */
async function upload(caller: TestUser | undefined, fields: Record<string, string>): Promise<ApiResponse> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    form.append(name, value);
  }
  form.append('image', new Blob([new Uint8Array(await png())], { type: 'image/png' }), 'dot.png');
  return request(app, 'POST', IMAGES, { token: caller?.token, raw: form });
}

/** The author's image on their message, made once per world. */
async function imageOf(world: World): Promise<void> {
  if (!world.image) {
    const uploaded = await upload(users.author, { message_id: world.message.id });
    expect(uploaded.status).toBe(201);
    world.image = uploaded.body;
  }
}

/** A socket action's answer as a status: 200 for an ack (a resume: 200 replayed, 404 in resync), else its code's. */
async function act(caller: TestUser, frame: Record<string, unknown>): Promise<ApiResponse> {
  const socket = await connect(app, caller.token);
  try {
    const answer: ServerFrame = await socket.act(frame);
    if (answer.error) {
      const status = { not_found: 404, permission_denied: 403, invalid: 400, throttled: 429 }[answer.error.code];
      return { status: status ?? 500, body: { errors: [answer.error] }, headers: new Headers() };
    }
    const roomId = Object.keys((frame.rooms as object | undefined) ?? {})[0];
    if (roomId && answer.resync?.includes(roomId)) {
      // Nothing of a room the caller cannot see is replayed.
      expect(socket.frames.filter((sent) => sent.room_id === roomId)).toEqual([]);
      const refused = { code: 'not_found', message: 'answered in resync' };
      return { status: 404, body: { errors: [refused] }, headers: new Headers() };
    }
    return { status: 200, body: answer, headers: new Headers() };
  } finally {
    await socket.close();
  }
}

async function send(route: Route, world: World, caller: TestUser | undefined): Promise<ApiResponse> {
  if (route.needsImage) {
    await imageOf(world);
  }
  const body = route.body ? route.body(world, users, caller ?? users.outsider) : undefined;
  if (route.method === 'UPLOAD') {
    return upload(caller, body as Record<string, string>);
  }
  if (route.method === 'ACTION') {
    if (!caller) {
      // No socket without a token: the upgrade is refused.
      const refused = await connect(app, undefined).then(
        () => 101,
        (error: { status: number }) => error.status,
      );
      return {
        status: refused,
        body: { errors: [{ code: 'not_authenticated', message: '' }] },
        headers: new Headers(),
      };
    }
    return act(caller, body as Record<string, unknown>);
  }
  return request(app, route.method, route.path(world, users), { token: caller?.token, body });
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
  const [creator, member, author, former, outsider, newcomer, roomAdmin] = await newUsers(app, 7);
  users = { creator, member, author, former, outsider, newcomer, roomAdmin };
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
    const key = `${visibility} ${role === 'creator who left'}`;
    if (!worlds.has(key)) {
      worlds.set(key, await newWorld(visibility, role === 'creator who left'));
    }
    return worlds.get(key)!;
  };

  it.each(cells(READ_ROUTES).map((cell) => [label(cell), cell] as const))('%s', async (_label, cell) => {
    const world = await worldFor(cell.visibility, cell.role);
    expectStatus(await send(cell.route, world, callerOf(cell.role)), cell.expected);
  });

  // prettier-ignore
  const LISTED: Record<Visibility, [boolean, boolean, boolean, boolean, boolean, boolean, boolean]> = {
    //         outsider former member author r.admin creator left creator
    public:  [true,    true,  true,  true,  true,    true,   true],
    private: [false,   false, true,  true,  true,    true,   true],
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
    const world = await newWorld(cell.visibility, cell.role === 'creator who left');
    expectStatus(await send(cell.route, world, callerOf(cell.role)), cell.expected);
    await cell.route.verify?.(world, users, cell.expected < 300);
  });
});

/** Operations whose permission is not about a room, and where each is tested. */
const NOT_ROOM_SCOPED: Record<string, string> = {
  getHealth: 'public (foundation.e2e-spec.ts)',
  createToken: 'public: sign-in (foundation.e2e-spec.ts, sessions.e2e-spec.ts)',
  registerUser: 'public: sign-up, SIGNUP_ENABLED (foundation.e2e-spec.ts)',
  getCurrentUser: 'any signed-in user, about themselves (foundation.e2e-spec.ts)',
  listRooms: 'any signed-in user; which rooms it lists is the LISTED table above',
  createRoom: 'any signed-in user (above)',
  listImages: 'any signed-in user, their own images only (images.e2e-spec.ts)',
  getImageFile: 'anyone holding the unguessable URL (images.e2e-spec.ts)',
  getUserChat: 'any signed-in user, about themselves (mentions.e2e-spec.ts)',
  updateUserChat: 'any signed-in user, their own status (mentions.e2e-spec.ts)',
};
/** Socket actions with no room: nothing to permit. */
const NO_ROOM_ACTIONS = ['ping'];

describe('permissions: the matrix covers everything', () => {
  it('should have a row for every operation of the OpenAPI document and every socket action', async () => {
    const document = (await api(app).get('/api/v1/schema/')).body as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).map((operation) => operation.operationId),
    );
    const asyncapi = (await api(app).get('/api/v1/asyncapi/')).body as { operations: Record<string, unknown> };
    // Its operations: what the server pushes (`push…`), and one per client action, named after it.
    const actions = Object.keys(asyncapi.operations).filter((name) => !name.startsWith('push'));
    expect(actions).toContain('send');
    const covered = new Set([...READ_ROUTES, ...WRITE_ROUTES].map((route) => route.covers));
    const missing = [...operations, ...actions].filter(
      (name) => !covered.has(name) && !(name in NOT_ROOM_SCOPED) && !NO_ROOM_ACTIONS.includes(name),
    );
    expect(missing).toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
  });
});
