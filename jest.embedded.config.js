/**
 * CI's second pass, on the embedded database: the tests whose outcome can depend on the database engine
 * (PGlite: one connection, files stored in the database, one process at a time). Every REST route and
 * permission rule, the change log and resume, idempotent sends, search, sessions, the CLI and the media
 * commands. Left to the PostgreSQL pass: pure logic, pages, documents, limits, fan-out across instances
 * (on PostgreSQL whatever the pass) and the bench smoke. `npm test` without DATABASE_URL runs all of it.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: [
    'database/*',
    'foundation',
    'rooms',
    'room-users',
    'messages',
    'permissions',
    'bad-input',
    'images',
    'media-storage',
    'media-migrate',
    'cli',
    'sessions',
    'socket-auth',
    'realtime-v2',
    'idempotent-send',
    'search',
    'mentions',
  ].map((name) => `<rootDir>/test/${name}.e2e-spec.ts`),
};
