import { levelOf, redactUrl } from './logging';

describe('logging', () => {
  it('should redact a token in a query string, and nothing else', () => {
    expect(redactUrl('/chat/r1/?token=eyJhbGciOi.x.y')).toBe('/chat/r1/?token=[redacted]');
    expect(redactUrl('/a?limit=5&TOKEN=abc&offset=0')).toBe('/a?limit=5&TOKEN=[redacted]&offset=0');
    expect(redactUrl('/api/v1/chat/rooms/?limit=5')).toBe('/api/v1/chat/rooms/?limit=5');
  });

  it('should log client mistakes at warn and server errors at error', () => {
    expect(levelOf(200)).toBe('info');
    expect(levelOf(304)).toBe('info');
    expect(levelOf(404)).toBe('warn');
    expect(levelOf(429)).toBe('warn');
    expect(levelOf(500)).toBe('error');
    expect(levelOf(200, new Error('aborted'))).toBe('error');
  });
});
