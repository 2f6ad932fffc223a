import type { Config } from 'jest';

// Opt-in suites (stress, endurance) are selected by environment variables inside the suites
// themselves, so `npx jest properties` and `npm test` share one configuration.
const config: Config = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['<rootDir>/{test,properties}/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
  // STAMPEDE_JUNIT=1 adds a JUnit XML file for CI (stampede-report/junit/junit.xml).
  ...(process.env.STAMPEDE_JUNIT === '1'
    ? {
        reporters: [
          'default',
          ['jest-junit', { outputDirectory: 'stampede-report/junit', outputName: 'junit.xml' }],
        ],
      }
    : {}),
};

export default config;
