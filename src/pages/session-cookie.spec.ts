import jwt from 'jsonwebtoken';
import { readCookie, secondsLeft } from './session-cookie';

describe('session cookie', () => {
  it('should read one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; dfchat_session=tok.en; b=2', 'dfchat_session')).toBe('tok.en');
    expect(readCookie('xdfchat_session=no; dfchat_session=yes', 'dfchat_session')).toBe('yes');
    expect(readCookie('a=%7B%7D', 'a')).toBe('{}');
    expect(readCookie('a=%E0%A4%A', 'a')).toBeNull();
    expect(readCookie('a=1', 'dfchat_session')).toBeNull();
    expect(readCookie(undefined, 'dfchat_session')).toBeNull();
    expect(readCookie('', 'dfchat_session')).toBeNull();
  });

  it('should let the cookie live only as long as its token', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = jwt.sign({ sub: 'u', exp: now / 1000 + 600 }, 'secret');
    expect(secondsLeft(token, now)).toBe(600);
    expect(secondsLeft(token, now + 601_000)).toBe(0);
    expect(secondsLeft(jwt.sign({ sub: 'u' }, 'secret'), now)).toBe(0);
    expect(secondsLeft('garbage', now)).toBe(0);
  });
});
