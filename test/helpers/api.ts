import type { TestApp } from './app';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  raw?: RequestInit['body'];
  headers?: Record<string, string>;
}

/** A tiny HTTP client for the app under test. */
export async function request<T = any>(
  app: TestApp,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  let body: RequestInit['body'] = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${app.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) {
    parsed = JSON.parse(text);
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export const api = (app: TestApp, token?: string) => ({
  get: <T = any>(path: string, options: RequestOptions = {}) => request<T>(app, 'GET', path, { token, ...options }),
  post: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>(app, 'POST', path, { token, body, ...options }),
  put: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>(app, 'PUT', path, { token, body, ...options }),
  patch: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>(app, 'PATCH', path, { token, body, ...options }),
  delete: <T = any>(path: string, options: RequestOptions = {}) =>
    request<T>(app, 'DELETE', path, { token, ...options }),
});

/** Asserts the contract's error shape and returns the codes, for compact assertions. */
export function errorCodes(response: ApiResponse): string[] {
  const body = response.body as { errors?: { code: string; message: string }[] };
  if (!Array.isArray(body?.errors) || body.errors.some((e) => typeof e.message !== 'string')) {
    throw new Error(`not an error body: ${JSON.stringify(response.body)}`);
  }
  return body.errors.map((error) => error.code);
}
