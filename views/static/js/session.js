// The token the page talks to the API with. The server knows the visitor from an HttpOnly session
// cookie (set here after sign-in), whose token never reaches the scripts: they hold a short-lived page
// token minted from it (`GET /chat/session`), kept per tab in sessionStorage and renewed before it expires.

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

/** The stored page token `{token, expires}` (expires: ms since the epoch), or null. */
function read() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null');
    return typeof stored?.token === 'string' && typeof stored?.expires === 'number' ? stored : null;
  } catch {
    return null;
  }
}

function store(pageToken) {
  try {
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(pageToken));
  } catch {
    // Storage can be unavailable (private modes); a new page token is fetched on each load then.
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
  // The long-lived token now lives in the HttpOnly cookie only; the scripts use page tokens.
  forgetToken();
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
  await startSession(token).catch(() => undefined);
}

/** A new page token from the session cookie, `{token, expires}`; null when not signed in. */
async function fetchPageToken() {
  const response = await fetch('/chat/session', { headers: { accept: 'application/json' } });
  if (!response.ok) {
    return null;
  }
  const { token, expires_in: expiresIn } = await response.json();
  const pageToken = { token, expires: Date.now() + expiresIn * 1000 };
  store(pageToken);
  return pageToken;
}

/** A page token for user `me`: this tab's while it has a while to live, else a new one. */
async function pageTokenFor(me) {
  const stored = read();
  if (stored && subjectOf(stored.token) === me && stored.expires - Date.now() > 30_000) {
    return stored;
  }
  const fresh = await fetchPageToken();
  return fresh && subjectOf(fresh.token) === me ? fresh : null;
}

/**
 * The token for API calls as user `me`, as a function answering the current one (renewed in the
 * background before it expires; `renew()` gets a new one now, or null). Without a session (it ended
 * meanwhile) the page is loaded again, which shows the sign-in form, and this never resolves.
 */
export async function requireToken(me) {
  let current = await pageTokenFor(me);
  if (!current) {
    location.reload();
    await new Promise(() => undefined);
  }
  let timer = null;
  const token = () => current.token;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void token.renew(), Math.max(1000, (current.expires - Date.now()) * 0.8));
  };
  token.renew = async () => {
    const fresh = await fetchPageToken().catch(() => null);
    if (!fresh || subjectOf(fresh.token) !== me) {
      return null;
    }
    current = fresh;
    schedule();
    return fresh.token;
  };
  schedule();
  return token;
}

/** Calls the REST API as the token's user. `onUnauthorized` runs when the token stops working. */
export function createApi(token, onUnauthorized) {
  const current = typeof token === 'function' ? token : () => token;
  async function send(method, path, body, renewed = false) {
    const headers = { authorization: `Bearer ${current()}`, accept: 'application/json' };
    let payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(path, { method, headers, body: payload });
    if (response.status === 401) {
      // The page token expired (a laptop asleep past its renewal): once, with a fresh one.
      if (!renewed && typeof token.renew === 'function' && (await token.renew())) {
        return send(method, path, body, true);
      }
      // The session itself is over: the next load shows the sign-in form.
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
