import { websocketServerOf } from './websocket-server';

describe('websocketServerOf', () => {
  it('should take the host and the scheme from PUBLIC_URL, with its path as the pathname', () => {
    expect(websocketServerOf('https://chat.example.com', { protocol: 'http', host: 'internal:3000' })).toEqual({
      host: 'chat.example.com',
      protocol: 'wss',
    });
    expect(websocketServerOf('http://example.com:8080/chat', { protocol: 'http', host: 'x' })).toEqual({
      host: 'example.com:8080',
      protocol: 'ws',
      pathname: '/chat',
    });
  });

  it('should take the address the request came to without PUBLIC_URL', () => {
    expect(websocketServerOf('', { protocol: 'https', host: '[::1]:3000' })).toEqual({
      host: '[::1]:3000',
      protocol: 'wss',
    });
    expect(websocketServerOf('', { protocol: 'http', host: '127.0.0.1:3000' })).toEqual({
      host: '127.0.0.1:3000',
      protocol: 'ws',
    });
  });

  it('should not repeat a host header that is not a host', () => {
    expect(websocketServerOf('', { protocol: 'http', host: 'evil.com/"><script>' }).host).toBe('localhost');
    expect(websocketServerOf('', { protocol: 'http' }).host).toBe('localhost');
  });
});
