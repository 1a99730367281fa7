import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, runMigrations } from './data-source';
import { draftOf, holdsCluster, initialClusterPath, staleInitialClusters } from './initial-cluster';

/**
 * Makes the prepared cluster (see `initialClusterPath`) unless it exists: a new embedded database,
 * migrated as the app would migrate it. Returns its path when it was made now.
 */
export async function prepareInitialCluster(): Promise<string | null> {
  const path = initialClusterPath();
  if (holdsCluster(path)) {
    return null;
  }
  const draft = draftOf(path);
  try {
    const dataSource = new DataSource(buildDataSourceOptions({ databaseUrl: null, dataDir: draft }));
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
    } finally {
      await dataSource.destroy();
    }
    for (const stale of staleInitialClusters()) {
      rmSync(stale, { recursive: true, force: true });
    }
    renameSync(join(draft, 'pgdata'), path);
  } finally {
    rmSync(draft, { recursive: true, force: true });
  }
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
