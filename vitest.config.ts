import { defineConfig } from 'vitest/config';

// Tests import the packages by name; the `source` condition resolves them to their TypeScript sources,
// so `pnpm test` needs no build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'conformance/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
