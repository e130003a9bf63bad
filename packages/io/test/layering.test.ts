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

/** The first import cycle among the package's own modules (type imports included), or null: imports point down. */
function findCycle(files: string[]): string[] | null {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const own = specifiers(file).filter((spec) => spec.startsWith('.'));
    edges.set(file, own.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
  }
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle !== null) return cycle.map((f) => relative(IO_SRC, f));
  }
  return null;
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

  test('its modules import one another without a cycle, type imports included (hub.ts on top)', () => {
    const files = sources(IO_SRC);
    expect(findCycle(files)).toBeNull();
    // Nothing imports the top.
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
