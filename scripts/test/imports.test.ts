// Imports point down (docs/design.md, "Layers"): within each package, no module imports a module that imports it
// back, directly or through others. Type imports count too, except in the native greenlet package, whose
// `runtime` and `ops` name the `Greenlet` class above them as a type (docs/design.md, "Files").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../packages', import.meta.url));

function sources(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sources(path));
    else if (name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** The package modules a file imports or re-exports from (comments left out); `import type` only if `types`. */
function localImports(file: string, types: boolean): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of text.matchAll(/\b(import|export)\s+(type\s)?[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]/g)) {
    if (m[2] !== undefined && !types) continue;
    found.push(normalize(join(dirname(file), m[3]!.replace(/\.js$/, '.ts'))));
  }
  return found;
}

function cyclesOf(dir: string, types: boolean): string[] {
  const src = join(PACKAGES, dir, 'src');
  const graph = new Map(sources(src).map((file) => [file, localImports(file, types)]));
  expect(graph.size).toBeGreaterThan(3);
  return importCycles(graph).map((cycle) => cycle.map((file) => relative(src, file)).join(' -> '));
}

/** The import cycles of a module graph: its strongly connected components of more than one module (Tarjan). */
function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('imports point down', () => {
  test('the cycle finder finds a cycle of three and ignores a chain', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(importCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  const packages = readdirSync(PACKAGES).filter((dir) => statSync(join(PACKAGES, dir, 'src')).isDirectory());
  test.each(packages)('%s: no import cycle among its modules at run time', (dir) => {
    expect(cyclesOf(dir, false)).toEqual([]);
  });

  test.each(packages.filter((dir) => dir !== 'greenlet'))('%s: none with type imports either', (dir) => {
    expect(cyclesOf(dir, true)).toEqual([]);
  });
});
