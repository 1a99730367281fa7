import { originOf, pageHeaders } from './page-headers';

describe('page headers', () => {
  it('should allow scripts and styles only from this origin, never inline', () => {
    const csp = pageHeaders('')['Content-Security-Policy'];
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("img-src 'self' blob: data:;");
    expect(csp).not.toContain('unsafe');
  });

  it('should allow images from the public URL where uploads are served', () => {
    expect(originOf('https://cdn.example.com/chat')).toBe('https://cdn.example.com');
    expect(originOf('')).toBe('');
    expect(pageHeaders(originOf('https://cdn.example.com'))['Content-Security-Policy']).toContain(
      "img-src 'self' blob: data: https://cdn.example.com;",
    );
  });
});
