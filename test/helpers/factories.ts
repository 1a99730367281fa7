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

/** Registers a user through the API and signs them in. */
export async function newUser(
  app: TestApp,
  fields: { username?: string; first_name?: string } = {},
): Promise<TestUser> {
  const username = fields.username ?? unique('user');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const registered = await api(app).post('/api/v1/auth/users/', { username, password, first_name: fields.first_name });
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
