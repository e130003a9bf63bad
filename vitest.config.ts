import { defineConfig } from 'vitest/config';

// Tests import the packages by name; the `@greenstackless/source` condition (set by no other tool) resolves
// them to their TypeScript sources, so `pnpm test` needs no build.
export default defineConfig({
  resolve: { conditions: ['@greenstackless/source'] },
  ssr: { resolve: { conditions: ['@greenstackless/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'conformance/test/**/*.test.ts', 'bench/test/**/*.test.ts',
      'examples/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
