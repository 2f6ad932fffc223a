import type { Config } from 'jest';

// Opt-in suites (stress, endurance) are selected by environment variables inside the suites
// themselves, so `npx jest properties` and `npm test` share one configuration.
const config: Config = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/{test,properties}/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
};

export default config;
