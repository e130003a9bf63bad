/**
 * Runs every examples/<name>.ts that has an examples/<name>.out beside it, as a user would run it (a Node process
 * with tsx, the packages resolved by name to their sources), and compares its standard output with the .out file
 * exactly. An example without a .out file is not run here.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const examples = join(root, 'examples');
const TIMEOUT_MS = 30_000;

const names = readdirSync(examples)
  .filter((file) => file.endsWith('.ts') && existsSync(join(examples, file.slice(0, -3) + '.out')))
  .map((file) => file.slice(0, -3))
  .sort();

function runExample(name: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@greenstackless/source', `examples/${name}.ts`],
      { cwd: root, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : null) : 0 });
      },
    );
  });
}

describe('examples: each prints exactly its .out file', () => {
  it('finds the examples', () => {
    expect(names).toContain('ping-pong');
  });

  for (const name of names) {
    it(`examples/${name}.ts`, async () => {
      const expected = readFileSync(join(examples, `${name}.out`), 'utf8');
      const { stdout, stderr, code } = await runExample(name);
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toBe(expected);
    }, TIMEOUT_MS + 5_000);
  }
});
