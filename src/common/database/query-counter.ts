import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'typeorm';

/** The SQL statements one unit of work (an HTTP request) has run so far. */
export class QueryCount {
  statements = 0;
}

const current = new AsyncLocalStorage<QueryCount>();

/** Runs `work` with `count` receiving every SQL statement it runs, however deep in async calls. */
export function countQueriesOf<T>(count: QueryCount, work: () => T): T {
  return current.run(count, work);
}

/**
 * A TypeORM logger that only counts statements into the current unit of work's `QueryCount`.
 * Installed only when EXPOSE_QUERY_COUNT is on, so that production pays nothing for it.
 */
export class QueryCountingLogger implements Logger {
  logQuery(): void {
    const count = current.getStore();
    if (count) {
      count.statements += 1;
    }
  }

  logQueryError(): void {}

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(): void {}

  log(): void {}
}
