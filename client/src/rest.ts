import createClient, { type Client, type ClientOptions, defaultBodySerializer } from 'openapi-fetch';
import type { paths } from './schema';

/** A bearer token, or a function that returns the current one (e.g. after a refresh). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface ChatClientOptions extends Omit<ClientOptions, 'baseUrl' | 'bodySerializer'> {
  /** The server's origin, e.g. `https://chat.example.com`; paths start with `/api/v1/`. */
  baseUrl: string;
  token?: TokenSource;
}

export type ChatClient = Client<paths>;

export async function resolveToken(token: TokenSource | undefined): Promise<string | undefined> {
  return typeof token === 'function' ? await token() : token;
}

/** A typed fetch client of the REST API: `GET`, `POST`, ... with the paths and bodies of the OpenAPI document. */
export function createChatClient({ baseUrl, token, ...options }: ChatClientOptions): ChatClient {
  const client = createClient<paths>({ ...options, baseUrl, bodySerializer: serializeBody });
  if (token !== undefined) {
    client.use({
      async onRequest({ request }) {
        const value = await resolveToken(token);
        if (value) {
          request.headers.set('Authorization', `Bearer ${value}`);
        }
        return request;
      },
    });
  }
  return client;
}

/**
 * A body holding a file (the upload's `image`) goes as `multipart/form-data`, the rest as JSON, so that
 * an upload is called with a plain typed object like any other request.
 */
export function serializeBody(body: unknown): string | FormData {
  if (body instanceof FormData) {
    return body;
  }
  if (!isPlainObject(body) || !Object.values(body).some((value) => value instanceof Blob)) {
    return defaultBodySerializer(body);
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item instanceof Blob) {
        form.append(name, item);
      } else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        form.append(name, String(item));
      } else if (item !== undefined && item !== null) {
        form.append(name, JSON.stringify(item));
      }
    }
  }
  return form;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
