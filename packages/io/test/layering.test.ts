// The layering of @greenstackless/io (docs/io.md, "Only public API underneath"): its sources import only the
// public entry points of greenstackless and @greenstackless/greenlet, Node's built-ins and each other; no other
// package depends on it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../..', import.meta.url));
const IO_SRC = join(PACKAGES, 'io', 'src');

function sources(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sources(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) files.push(path);
  }
  return files;
}

/** Every module specifier of static imports, re-exports and dynamic imports in a file (comments left out). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

describe('layering of @greenstackless/io', () => {
  test('its sources import only greenstackless, @greenstackless/greenlet, node:* and their own modules', () => {
    const bad: string[] = [];
    const files = sources(IO_SRC);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      for (const spec of specifiers(file)) {
        const ok = spec === 'greenstackless' || spec === '@greenstackless/greenlet' || spec.startsWith('node:') ||
          spec.startsWith('./') || spec.startsWith('../');
        const escapes = spec.startsWith('.') && !join(file, '..', spec).startsWith(IO_SRC);
        if (!ok || escapes) bad.push(`${relative(PACKAGES, file)} imports '${spec}'`);
      }
    }
    expect(bad).toEqual([]);
  });

  // That its modules import one another without a cycle is checked for every package by scripts/test/imports.test.ts.
  test('hub.ts is the top: only index.ts imports it', () => {
    const files = sources(IO_SRC);
    const importers = files.filter((file) => specifiers(file).some((spec) =>
      spec.startsWith('.') && resolve(dirname(file), spec) === join(IO_SRC, 'hub.js')));
    expect(importers.map((f) => relative(IO_SRC, f))).toEqual(['index.ts']);
  });

  test('its package.json depends only on the workspace packages it imports', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGES, 'io', 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@greenstackless/greenlet', 'greenstackless']);
  });

  test('no other package imports or depends on @greenstackless/io', () => {
    const bad: string[] = [];
    for (const dir of readdirSync(PACKAGES)) {
      if (dir === 'io' || !statSync(join(PACKAGES, dir)).isDirectory()) continue;
      const pkg = JSON.parse(readFileSync(join(PACKAGES, dir, 'package.json'), 'utf8'));
      const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
      if ('@greenstackless/io' in deps) bad.push(`packages/${dir}/package.json depends on it`);
      for (const sub of ['src', 'test']) {
        let files: string[] = [];
        try {
          files = sources(join(PACKAGES, dir, sub));
        } catch {
          continue;
        }
        for (const file of files) {
          if (specifiers(file).includes('@greenstackless/io')) bad.push(`${relative(PACKAGES, file)} imports it`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
