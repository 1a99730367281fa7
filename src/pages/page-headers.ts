/** A bare `host[:port]` as a Host header carries it; anything else is not put into a header. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Headers of every page response. Scripts and styles come only from our own files (no inline code,
 * so injected markup cannot run); the `?token=` link must not leak through Referer; pages carry
 * personal data, so nothing stores them. The websocket is named explicitly for the browsers whose
 * `'self'` does not cover ws:/wss:.
 */
export function pageHeaders(imageOrigin: string, host?: string): Record<string, string> {
  const images = ["'self'", 'blob:', 'data:', imageOrigin].filter(Boolean).join(' ');
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images}`,
    `connect-src 'self'${sockets}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

/** The origin of MEDIA_BASE_URL or PUBLIC_URL (where uploaded images are served from), or '' for this host. */
export function originOf(publicUrl: string): string {
  if (!publicUrl) {
    return '';
  }
  try {
    return new URL(publicUrl).origin;
  } catch {
    return '';
  }
}
