/**
 * Headers of every page response. Scripts and styles come only from our own files (no inline code,
 * so injected markup cannot run); the `?token=` link must not leak through Referer; pages carry
 * personal data, so nothing stores them.
 */
export function pageHeaders(imageOrigin: string): Record<string, string> {
  const images = ["'self'", 'blob:', 'data:', imageOrigin].filter(Boolean).join(' ');
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images}`,
    "connect-src 'self'",
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

/** The origin of a PUBLIC_URL setting (where uploaded images are served from), or '' for this host. */
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
