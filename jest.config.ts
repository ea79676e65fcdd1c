import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2021' } }] },
  setupFiles: ['<rootDir>/src/server/__tests__/helpers/environment.ts'],
  testTimeout: 60_000,
};

export default config;
