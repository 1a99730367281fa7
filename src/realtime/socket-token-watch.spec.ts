import { SocketTokenWatch, TokenEnd } from './socket-token-watch';

/** A watch whose token versions are whatever the test says, recording what it ends. */
function newWatch(versions: Map<string, number>) {
  const ended: [string, TokenEnd][] = [];
  let release: (() => void) | undefined;
  const watch = new SocketTokenWatch<string>({
    readVersions: async (userIds) => {
      if (release === undefined) {
        return new Map(userIds.flatMap((id) => (versions.has(id) ? [[id, versions.get(id)!] as const] : [])));
      }
      const snapshot = new Map(versions);
      await new Promise<void>((done) => (release = done));
      return snapshot;
    },
    end: (connection, why) => ended.push([connection, why]),
    recheckMs: 1000,
    onError: (error) => {
      throw error;
    },
  });
  return { watch, ended, holdReads: () => (release = () => undefined), releaseRead: () => release?.() };
}

describe('SocketTokenWatch', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('should end a socket when its token expires, and not before', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { watch, ended } = newWatch(new Map());
    watch.watch('a1', { userId: 'alice', tokenVersion: 0, expiresAt: 1_002_000 });
    watch.watch('a2', { userId: 'alice', tokenVersion: 0, expiresAt: null });
    jest.advanceTimersByTime(1999);
    expect(ended).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ended).toEqual([['a1', 'expired']]);
    expect(watch.size).toBe(1);
  });

  it('should end the sockets of users whose token version changed or who are gone, in one read', async () => {
    const versions = new Map([
      ['alice', 1],
      ['bob', 0],
    ]);
    const { watch, ended } = newWatch(versions);
    watch.watch('a1', { userId: 'alice', tokenVersion: 0, expiresAt: null });
    watch.watch('b1', { userId: 'bob', tokenVersion: 0, expiresAt: null });
    watch.watch('c1', { userId: 'carol', tokenVersion: 0, expiresAt: null });
    await watch.check();
    expect(ended).toEqual([
      ['a1', 'revoked'],
      ['c1', 'revoked'],
    ]);
    expect(watch.size).toBe(1);
  });

  it('should not judge a socket watched while a read was under way, nor one forgotten', async () => {
    const versions = new Map([['alice', 0]]);
    const { watch, ended, holdReads, releaseRead } = newWatch(versions);
    watch.watch('old', { userId: 'alice', tokenVersion: 0, expiresAt: null });
    watch.watch('gone', { userId: 'alice', tokenVersion: 0, expiresAt: null });
    holdReads();
    const checking = watch.check();
    // The password changes after the read began; a socket opened with the new token must stay.
    versions.set('alice', 1);
    watch.watch('new', { userId: 'alice', tokenVersion: 1, expiresAt: null });
    watch.forget('gone');
    releaseRead();
    await checking;
    expect(ended).toEqual([]);
  });
});
