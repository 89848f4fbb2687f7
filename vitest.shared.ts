import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/** Shared vitest settings: resolve workspace packages to their TypeScript sources and print a plain summary line. */
export default defineConfig({
  resolve: { conditions: ['@wide/source'] },
  ssr: { resolve: { conditions: ['@wide/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', fileURLToPath(new URL('./tools/summary-reporter.ts', import.meta.url))],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
