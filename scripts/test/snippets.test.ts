// The TypeScript of the documentation type-checks under --strict: every `@example` ```ts block of the TSDoc in
// packages/*/src, and every ```ts block of every README.md and docs/**/*.md (scripts/snippets.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSnippets, markdownBlocks, markdownFiles, sourceFiles, tsdocBlocks } from '../snippets.mjs';

interface Result {
  checked: number;
  skipped: number;
  failures: { where: string; errors: string[] }[];
}

describe('documentation snippets', () => {
  it('every TSDoc @example of packages/*/src type-checks with tsc --strict', () => {
    const result: Result = checkSnippets({ markdown: [], sources: sourceFiles() });
    expect(result.failures).toEqual([]);
    expect(result.checked).toBeGreaterThan(40);
  }, 120_000);

  it('every ts block of README.md and docs/**/*.md type-checks with tsc --strict', () => {
    const files: string[] = markdownFiles();
    expect(files.some((f) => f.endsWith('packages/greenlet/README.md'))).toBe(true);
    const result: Result = checkSnippets({ markdown: files, sources: [] });
    expect(result.failures).toEqual([]);
  }, 120_000);

  describe('the checker itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippets-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds ts blocks, skips nocheck ones, and reports a type error at the block\'s line', () => {
      const md = join(dir, 'README.md');
      writeFileSync(
        md,
        [
          '# Title',
          '```ts',
          "import { getcurrent } from '@greenstackless/greenlet';",
          'const n: number = String(getcurrent());',
          '```',
          '```ts nocheck',
          'yield* fragment();',
          '```',
          '```sh',
          'not ts',
          '```',
        ].join('\n'),
      );
      expect(markdownBlocks(`a\n\`\`\`ts\nx\n\`\`\`\n`)).toEqual([{ line: 3, code: 'x', nocheck: false }]);
      const result: Result = checkSnippets({ markdown: [md], sources: [] });
      expect([result.checked, result.skipped]).toEqual([1, 1]);
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0].where.endsWith('README.md:3')).toBe(true);
      expect(result.failures[0].errors.join('\n')).toContain("TS2322: Type 'string' is not assignable to type 'number'");
    }, 120_000);

    it('takes @example blocks from doc comments only, without their stars', () => {
      const text = [
        '/**',
        ' * Does a thing.',
        ' *',
        ' * @example',
        ' * ```ts',
        ' * const a = 1;',
        ' * ```',
        ' */',
        '// ```ts',
        '// not in a doc comment',
        '// ```',
      ].join('\n');
      expect(tsdocBlocks(text)).toEqual([{ line: 6, code: 'const a = 1;', nocheck: false }]);
    });
  });
});
