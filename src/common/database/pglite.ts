import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import { EmbeddedDatabaseLock } from './embedded-lock';
import { provideInitialCluster } from './initial-cluster';

type ConnectCallback = Parameters<PGlitePool['connect']>[0];

/**
 * PGlite is one database session. TypeORM expects a pool of independent sessions, so without care two
 * concurrent transactions would interleave inside one session. This pool hands the session to one
 * query runner at a time; the others wait their turn.
 */
class SerializedPGlitePool extends PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  override connect(callback: ConnectCallback): Promise<void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    return previous.then(() =>
      super.connect((error, client) => {
        let released = false;
        callback(error, client, () => {
          if (!released) {
            released = true;
            release();
          }
        });
      }),
    );
  }
}

export function pgliteDriver(dataDir: string): unknown {
  new PGliteDriver({ dataDir });
  const lock = new EmbeddedDatabaseLock(dataDir);
  let configured = false;
  // The database files are opened on the first connection, so that is when the lock is taken.
  class LockedPGlitePool extends SerializedPGlitePool {
    override connect(callback: ConnectCallback): Promise<void> {
      try {
        lock.acquire();
        if (!configured) {
          // Holding the lock, we know whether the directory is new: then it gets the prepared cluster.
          provideInitialCluster(dataDir);
          configured = true;
        }
      } catch (error) {
        callback(error, null, () => undefined);
        return Promise.resolve();
      }
      return super.connect(callback);
    }

    override end(callback: (error: Error | null) => void): void {
      super.end((error: Error | null) => {
        lock.release();
        callback(error);
      });
    }
  }
  return { Pool: LockedPGlitePool };
}
