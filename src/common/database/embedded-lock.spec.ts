import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabaseInUseError, EmbeddedDatabaseLock } from './embedded-lock';

describe('EmbeddedDatabaseLock', () => {
  let dir: string;
  let dataDir: string;
  const lockPath = () => `${dataDir}.lock`;
  const writeOwner = (pid: number, host = hostname()) => writeFileSync(lockPath(), JSON.stringify({ pid, host }));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dfchat-lock-'));
    dataDir = join(dir, 'pgdata');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should write its owner beside the data, and remove the file on release', () => {
    const lock = new EmbeddedDatabaseLock(dataDir);
    lock.acquire();
    lock.acquire();
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('should refuse while a live process of this host holds it', () => {
    writeOwner(process.ppid);
    expect(() => new EmbeddedDatabaseLock(dataDir).acquire()).toThrow(EmbeddedDatabaseInUseError);
    expect(() => new EmbeddedDatabaseLock(dataDir).acquire()).toThrow(
      `in use by another process (pid ${process.ppid})`,
    );
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toEqual({ pid: process.ppid, host: hostname() });
  });

  it('should refuse a lock of another host, telling how to clear it if stale', () => {
    writeOwner(12345, 'elsewhere');
    expect(() => new EmbeddedDatabaseLock(dataDir).acquire()).toThrow(`on elsewhere`);
    expect(() => new EmbeddedDatabaseLock(dataDir).acquire()).toThrow(`delete ${lockPath()}`);
  });

  it('should take over a lock left by a process that is gone, by this process id, or unreadable', () => {
    for (const leftover of [
      () => writeOwner(2 ** 22 + 7),
      () => writeOwner(process.pid),
      () => writeFileSync(lockPath(), ''),
    ]) {
      leftover();
      const lock = new EmbeddedDatabaseLock(dataDir);
      lock.acquire();
      expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
    }
  });

  it('should not remove a lock that another process took in the meantime', () => {
    const lock = new EmbeddedDatabaseLock(dataDir);
    lock.acquire();
    writeOwner(process.ppid);
    lock.release();
    expect(existsSync(lockPath())).toBe(true);
  });
});
