// The JWT the page talks to the API with. The server knows the visitor from an HttpOnly session
// cookie (set here after sign-in); the scripts keep the same token per tab in sessionStorage.

const TOKEN_KEY = 'df-chat:token';

export class ApiError extends Error {
  constructor(status, errors) {
    super(errors[0]?.message ?? `Request failed (${status})`);
    this.status = status;
    this.errors = errors;
  }

  /** The message for one field, or the first message when no field is named. */
  messageFor(field) {
    return (this.errors.find((error) => error.field === field) ?? this.errors[0])?.message ?? this.message;
  }
}

async function toApiError(response) {
  let errors = [];
  try {
    const body = await response.json();
    errors = Array.isArray(body?.errors) ? body.errors : [];
  } catch {
    // Not the error shape (e.g. a proxy's page): fall back to the status.
  }
  if (errors.length === 0) {
    const message =
      response.status === 413 ? 'That is too large.' : response.status >= 500 ? 'The server had a problem.' : '';
    errors = [{ message: message || `Request failed (${response.status})`, code: 'http' }];
  }
  return new ApiError(response.status, errors);
}

function read() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token) {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage can be unavailable (private modes); the session cookie still works.
  }
}

export function forgetToken() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
}

/** The user id a token names (its `sub`), without trusting it: only to tell whose it is. */
function subjectOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub ?? null;
  } catch {
    return null;
  }
}

/** Whether the browser holds a valid session cookie. */
export async function hasSession() {
  try {
    return (await fetch('/chat/session', { headers: { accept: 'application/json' } })).ok;
  } catch {
    return false;
  }
}

/** Makes the token the visitor's session (the cookie the server renders pages with). */
export async function startSession(token) {
  const response = await fetch('/chat/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) {
    throw await toApiError(response);
  }
  storeToken(token);
}

export async function endSession() {
  forgetToken();
  await fetch('/chat/session', { method: 'DELETE' });
}

/**
 * A `?token=<JWT>` link opens the page signed in: keep the token for this tab, make it the session
 * (so a reload still works) and drop it from the address bar and history.
 */
export async function adoptLinkToken() {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) {
    return;
  }
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  storeToken(token);
  await startSession(token).catch(() => undefined);
}

/** The token for API calls as user `me`: this tab's, else the session's. */
export async function tokenFor(me) {
  const stored = read();
  if (stored && subjectOf(stored) === me) {
    return stored;
  }
  const response = await fetch('/chat/session', { headers: { accept: 'application/json' } });
  if (!response.ok) {
    return null;
  }
  const { token } = await response.json();
  storeToken(token);
  return token;
}

/**
 * The token for API calls as user `me`; without one (the session ended meanwhile) the page is
 * loaded again, which shows the sign-in form, and this never resolves.
 */
export async function requireToken(me) {
  const token = await tokenFor(me);
  if (!token) {
    location.reload();
    await new Promise(() => undefined);
  }
  return token;
}

/** Calls the REST API as the token's user. `onUnauthorized` runs when the token stops working. */
export function createApi(token, onUnauthorized) {
  async function send(method, path, body) {
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    let payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(path, { method, headers, body: payload });
    if (response.status === 401) {
      // This tab's token is spent; the next load takes the session's, or shows the sign-in form.
      forgetToken();
      onUnauthorized();
    }
    if (!response.ok) {
      throw await toApiError(response);
    }
    return response.status === 204 ? null : response.json();
  }
  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body ?? {}),
    patch: (path, body) => send('PATCH', path, body),
    delete: (path) => send('DELETE', path),
    upload: (path, form) => send('POST', path, form),
  };
}

/** Signs in with a username and password; answers the token. */
export async function signIn(username, password) {
  const response = await fetch('/api/v1/auth/token/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) {
    throw await toApiError(response);
  }
  return (await response.json()).token;
}

export async function register(fields) {
  const response = await fetch('/api/v1/auth/users/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  if (!response.ok) {
    throw await toApiError(response);
  }
}
