import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** PGlite's version, from its package.json (which the package does not export). */
const PGLITE_VERSION = (
  JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * An empty database cluster made once at build time (`dist/`), so that a fresh embedded database is
 * unpacked from it instead of running initdb inside WebAssembly at every first start. Named by the
 * PGlite version, so an upgrade never loads a cluster made by another version.
 */
export const initialClusterPath = (): string =>
  join(__dirname, '..', '..', '..', `pglite-initial-cluster-${PGLITE_VERSION}.tar.gz`);

/** The prepared cluster for a data directory that holds none yet; undefined to let PGlite create one. */
export function initialClusterFor(dataDir: string): Blob | undefined {
  const path = initialClusterPath();
  if (existsSync(join(dataDir, 'PG_VERSION')) || !existsSync(path)) {
    return undefined;
  }
  return new Blob([readFileSync(path)]);
}

/** Makes the prepared cluster unless it exists; returns its path when it was made now. */
export async function prepareInitialCluster(): Promise<string | null> {
  const path = initialClusterPath();
  if (existsSync(path)) {
    return null;
  }
  const database = await PGlite.create('memory://');
  const dump = await database.dumpDataDir('gzip');
  await database.close();
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  return path;
}

if (require.main === module) {
  // On stderr: build output must not mix with what scripts capture from stdout (`npm run cli -- user:token`).
  prepareInitialCluster().then(
    (path) => path && process.stderr.write(`prepared the embedded database template: ${path}\n`),
    (error: unknown) => {
      process.stderr.write(`could not prepare the embedded database template: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
