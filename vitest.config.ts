import { defineConfig } from 'vitest/config';

// One runner for the whole workspace. Unit tests sit beside the code; integration and browser
// tests live in tests/ and start real servers (port 0, temp SQLite) and real Chromium.
export default defineConfig({
  test: {
    projects: [
      // web/src tests (the live engine's runes need the Svelte compiler): web/vitest.config.ts
      'web/vitest.config.ts',
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'tests/bench/**/*.test.ts'],
          environment: 'node'
        }
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/buildServerOnce.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two Chromium contexts per test on a 2-core machine: one browser file at a time.
          fileParallelism: false
        }
      }
    ]
  }
});
