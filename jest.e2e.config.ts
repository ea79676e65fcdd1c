import type { Config } from 'jest';

/** The browser end-to-end test (npm run e2e): one real app, one Chromium, the scenarios in order. */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2021' } }] },
  maxWorkers: 1,
  testTimeout: 5 * 60 * 1000,
};

export default config;
