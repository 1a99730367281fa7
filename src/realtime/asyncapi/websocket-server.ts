/** Where this deployment's websocket is, as an AsyncAPI server states it. */
export interface WebSocketServer {
  host: string;
  protocol: 'ws' | 'wss';
  /** Where the app is mounted, when behind a path prefix (from PUBLIC_URL). */
  pathname?: string;
}

/**
 * Where clients connect: PUBLIC_URL when it is set, else the address this request came to (through a
 * trusted proxy, its forwarded protocol and host).
 */
export function websocketServerOf(publicUrl: string, request: { protocol: string; host?: string }): WebSocketServer {
  if (publicUrl) {
    const url = new URL(publicUrl);
    const pathname = url.pathname.replace(/\/+$/, '');
    return { host: url.host, protocol: url.protocol === 'https:' ? 'wss' : 'ws', ...(pathname ? { pathname } : {}) };
  }
  const host = request.host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(request.host) ? request.host : 'localhost';
  return { host, protocol: request.protocol === 'https' ? 'wss' : 'ws' };
}
