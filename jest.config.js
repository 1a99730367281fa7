/**
 * Unit tests live beside the code (`*.spec.ts`); end-to-end tests in `test/` run the built app. The
 * medium tests (`test/medium/`) load NestJS in-process, which Jest cannot on this Node (NestJS is ESM
 * only), so they run on the compiled code under Node's own test runner (`npm run test:medium`).
 */
module.exports = {
  rootDir: '.',
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
    '<rootDir>/client/test/**/*.e2e-spec.ts',
    '<rootDir>/client/test/**/*.spec.ts',
  ],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  testEnvironment: 'node',
  testTimeout: 60_000,
  // On PostgreSQL the test files' processes spend a third of their time waiting (timers, the database,
  // Redis): a third worker fills it. On the embedded database each process is busy with PGlite itself.
  maxWorkers: process.env.DATABASE_URL ? 3 : 2,
  slowTestThreshold: 30,
  testSequencer: '<rootDir>/jest.sequencer.js',
};
