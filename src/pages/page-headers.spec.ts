import { originOf, pageHeaders } from './page-headers';

describe('page headers', () => {
  it('should allow scripts and styles only from this origin, never inline', () => {
    const csp = pageHeaders('')['Content-Security-Policy'];
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("img-src 'self' blob: data:;");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('unsafe');
  });

  it('should allow images from the public URL where uploads are served', () => {
    expect(originOf('https://cdn.example.com/chat')).toBe('https://cdn.example.com');
    expect(originOf('')).toBe('');
    expect(pageHeaders(originOf('https://cdn.example.com'))['Content-Security-Policy']).toContain(
      "img-src 'self' blob: data: https://cdn.example.com;",
    );
  });

  it('should name the websocket of a well-formed host, and never put anything else into the policy', () => {
    expect(pageHeaders('', 'chat.example.com:8443')['Content-Security-Policy']).toContain(
      "connect-src 'self' ws://chat.example.com:8443 wss://chat.example.com:8443;",
    );
    expect(pageHeaders('', '[::1]:3000')['Content-Security-Policy']).toContain('ws://[::1]:3000 wss://[::1]:3000;');
    for (const host of ["evil.com; script-src 'unsafe-inline'", 'a b', 'x/y', '', 'host:port']) {
      expect(pageHeaders('', host)['Content-Security-Policy']).toContain("connect-src 'self';");
    }
  });
});
