// Unit and end-to-end tests: everything they need is inside the project.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/conformance/**', 'node_modules/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
