/**
 * Runs the long test files first, so that no worker is left alone with one at the end of the run. Jest
 * orders by the durations it cached from earlier runs; a clean clone (CI) has none, and file size is a
 * poor guess for files whose time goes into the processes they start. Seconds on PostgreSQL.
 */
const { basename } = require('node:path');
const TestSequencer = require('@jest/test-sequencer').default;

const KNOWN_SECONDS = {
  cli: 190,
  'bench-smoke': 130,
  'live-pages': 67,
  pages: 66,
  'realtime-cluster': 64,
  permissions: 53,
  'media-migrate': 52,
  realtime: 45,
  'realtime-v2': 44,
  fuzz: 41,
  foundation: 29,
  'search-pages': 27,
};

class SlowFirstSequencer extends TestSequencer {
  /** Every file needs a time (Jest runs those without one last): the rest by size, as Jest would. */
  time(test) {
    return (
      super.time(test) ??
      KNOWN_SECONDS[basename(test.path, '.e2e-spec.ts')] ??
      (test.context.hasteFS.getSize(test.path) ?? 0) / 1e6
    );
  }
}

module.exports = SlowFirstSequencer;
