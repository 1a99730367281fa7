import { randomBytes } from 'node:crypto';
import type { TestApp } from './app';
import { api } from './api';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
  first_name: string;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}_${randomBytes(3).toString('hex')}`;

/** Registers a user through the API and signs them in; `headers` go with the registration (e.g. `x-forwarded-for`). */
export async function newUser(
  app: TestApp,
  fields: { username?: string; first_name?: string } = {},
  headers: Record<string, string> = {},
): Promise<TestUser> {
  const username = fields.username ?? unique('user');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const registered = await api(app).post(
    '/api/v1/auth/users/',
    { username, password, first_name: fields.first_name },
    { headers },
  );
  if (registered.status !== 201) {
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  }
  const signedIn = await api(app).post('/api/v1/auth/token/', { username, password });
  if (signedIn.status !== 200) {
    throw new Error(`token failed: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  }
  return {
    id: registered.body.id,
    username,
    password,
    token: signedIn.body.token,
    first_name: fields.first_name ?? '',
  };
}

type UserRef = TestUser | string;
const idOf = (user: UserRef): string => (typeof user === 'string' ? user : user.id);

function expectCreated(what: string, response: { status: number; body: unknown }): any {
  if (response.status !== 201) {
    throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** Several users at once. */
export function newUsers(app: TestApp, count: number): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => newUser(app)));
}

/** Creates a room through the API; the owner becomes its creator, admin and member. Returns the Room. */
export async function newRoom(
  app: TestApp,
  owner: TestUser,
  fields: { users?: UserRef[]; is_public?: boolean; title?: string; description?: string } = {},
): Promise<any> {
  const response = await api(app, owner.token).post('/api/v1/chat/rooms/', {
    title: fields.title ?? unique('room '),
    description: fields.description,
    is_public: fields.is_public,
    users: fields.users?.map(idOf),
  });
  return expectCreated('create room', response);
}

/** Posts a message (a reply with `parent_id`, a reaction with `is_reaction`) through the API. Returns the Message. */
export async function newMessage(
  app: TestApp,
  author: TestUser,
  roomId: string,
  fields: { body?: string; parent_id?: string; is_reaction?: boolean } = {},
): Promise<any> {
  const response = await api(app, author.token).post(`/api/v1/chat/rooms/${roomId}/messages/`, {
    body: fields.body ?? unique('message '),
    parent_id: fields.parent_id,
    is_reaction: fields.is_reaction,
  });
  return expectCreated('post message', response);
}

/** `count` messages posted one after the other, oldest first. */
export async function newMessages(app: TestApp, author: TestUser, roomId: string, count: number): Promise<any[]> {
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push(await newMessage(app, author, roomId, { body: `message ${i}` }));
  }
  return messages;
}

/** A reaction of `user` to a message. */
export function newReaction(app: TestApp, user: TestUser, message: { id: string; room_id: string }, body = '+') {
  return newMessage(app, user, message.room_id, { body, parent_id: message.id, is_reaction: true });
}
