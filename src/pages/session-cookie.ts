import jwt from 'jsonwebtoken';

/**
 * The pages' session: the same JWT the API takes, in an HttpOnly, SameSite=Strict cookie scoped to
 * `/chat`, so that the server can render a room for a signed-in visitor. The API itself never reads it.
 */
export const SESSION_COOKIE = 'dfchat_session';
export const SESSION_COOKIE_PATH = '/chat';

/** The value of one cookie from a `Cookie` header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) {
    return null;
  }
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Seconds until the (already verified) token expires, so the cookie does not outlive it. */
export function secondsLeft(token: string, now: number = Date.now()): number {
  const payload = jwt.decode(token);
  const exp = typeof payload === 'object' && payload !== null && typeof payload.exp === 'number' ? payload.exp : 0;
  return Math.max(Math.floor(exp - now / 1000), 0);
}
