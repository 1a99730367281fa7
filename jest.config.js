/** Unit tests live beside the code (`*.spec.ts`); end-to-end tests in `test/` run the built app. */
module.exports = {
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  testEnvironment: 'node',
  testTimeout: 60_000,
  maxWorkers: 2,
  slowTestThreshold: 30,
};
