import { createHash } from 'node:crypto';
import { constants, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EmbeddedDatabaseUnusableError } from './embedded-lock';

/** PGlite's version, from its package.json (which the package does not export). */
const PGLITE_VERSION = (
  JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** The build's root (`dist/`), beside the compiled migrations. */
const BUILD_ROOT = join(__dirname, '..', '..', '..');
const CLUSTER_PREFIX = 'pglite-initial-cluster-';
const DRAFT_MARK = '.draft-';

/** Names the compiled migrations by their contents: the prepared cluster has exactly these applied. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  const dir = join(BUILD_ROOT, 'migrations');
  const names = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.js')) : [];
  for (const name of names.sort()) {
    hash.update(name).update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A migrated, empty database cluster made once at build time (`dist/`), so that a fresh embedded
 * database is copied from it, file by file with the operating system's copy, instead of running initdb
 * and every migration inside WebAssembly at its first start. Named by the PGlite version and the
 * migrations, so a start never begins from a cluster made by another version or for other migrations
 * (the app still applies any migration pending, as on any database).
 */
export const initialClusterPath = (): string =>
  join(BUILD_ROOT, `${CLUSTER_PREFIX}${PGLITE_VERSION}-${migrationsFingerprint()}`);

/** Prepared clusters of other versions or migrations, left by earlier builds (not drafts being made). */
export const staleInitialClusters = (): string[] => {
  const current = initialClusterPath();
  return readdirSync(BUILD_ROOT)
    .filter((name) => name.startsWith(CLUSTER_PREFIX) && !name.includes(DRAFT_MARK))
    .map((name) => join(BUILD_ROOT, name))
    .filter((path) => path !== current);
};

const CLUSTER_MARKER = 'PG_VERSION';

/** A directory holds a cluster once its PG_VERSION is there. */
export const holdsCluster = (dir: string): boolean => existsSync(join(dir, CLUSTER_MARKER));

/** A unique sibling path to build a directory in before it is renamed into place. */
export const draftOf = (dir: string): string => `${dir}${DRAFT_MARK}${process.pid}-${Date.now()}`;

/**
 * Gives a data directory that holds no cluster yet a copy of the prepared one (when it was prepared;
 * otherwise PGlite creates the cluster itself). The copy is made aside and renamed into place, so a
 * start interrupted half-way leaves no half cluster behind. `dataDir` must be empty or missing.
 */
export function provideInitialCluster(dataDir: string): void {
  const template = initialClusterPath();
  if (holdsCluster(dataDir) || !holdsCluster(template)) {
    return;
  }
  const draft = draftOf(dataDir);
  try {
    cpSync(template, draft, { recursive: true, mode: constants.COPYFILE_FICLONE });
    // Over an empty directory, rename replaces it.
    renameSync(draft, dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new EmbeddedDatabaseUnusableError(
        `${dataDir} holds files but no database (no ${CLUSTER_MARKER}): move them away or use another DATA_DIR`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    rmSync(draft, { recursive: true, force: true });
  }
}
