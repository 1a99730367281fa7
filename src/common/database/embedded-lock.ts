import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The embedded database cannot be opened, and waiting will not change that: nothing to retry. */
export class EmbeddedDatabaseUnusableError extends Error {}

/** Thrown when another process has the embedded database open: PGlite would corrupt it if both wrote. */
export class EmbeddedDatabaseInUseError extends EmbeddedDatabaseUnusableError {}

interface LockOwner {
  pid: number;
  host: string;
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database is one process's store: PGlite takes no lock of its own, and two processes
 * writing the same files corrupt them. A lock file beside the data names the owning process; a lock
 * left by a process that is gone (on this host) is taken over.
 */
export class EmbeddedDatabaseLock {
  private held = false;

  constructor(
    private readonly dataDir: string,
    private readonly path = `${dataDir}.lock`,
  ) {}

  acquire(): void {
    if (this.held) {
      return;
    }
    const me: LockOwner = { pid: process.pid, host: hostname() };
    for (let attempt = 0; attempt < 3; attempt++) {
      // Written aside, then linked into place: the lock never exists without its owner in it.
      const draft = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(draft, JSON.stringify(me), { mode: 0o600 });
      try {
        linkSync(draft, this.path);
        this.held = true;
        process.once('exit', () => this.release());
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw error;
        }
      } finally {
        unlinkSync(draft);
      }
      const owner = readOwner(this.path);
      const ownedElsewhere = owner !== null && owner.host !== me.host;
      if (ownedElsewhere || (owner && owner.pid !== me.pid && isAlive(owner.pid))) {
        const stale = ownedElsewhere ? `; if it is gone, delete ${this.path}` : '';
        throw new EmbeddedDatabaseInUseError(
          `the embedded database in ${this.dataDir} is in use by another process ` +
            `(pid ${owner.pid}${ownedElsewhere ? ` on ${owner.host}` : ''}): stop it first, ` +
            `or use PostgreSQL (DATABASE_URL) to run both at once${stale}`,
        );
      }
      // Its owner is gone (or it is a leftover of this very process id): take it over.
      try {
        unlinkSync(this.path);
      } catch {
        // Someone else removed it first; try again.
      }
    }
    throw new EmbeddedDatabaseInUseError(`could not lock the embedded database in ${this.dataDir}`);
  }

  release(): void {
    if (!this.held) {
      return;
    }
    this.held = false;
    if (readOwner(this.path)?.pid === process.pid) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
  }
}
