// Type-checks the TypeScript in the documentation: every ```ts block of the given Markdown files and every
// `@example` ```ts block of the TSDoc in packages/*/src. Each block is written as a module of a temporary
// project outside the repository, whose `paths` resolve the workspace packages to their sources, and the whole
// project is checked with one `tsc --strict --noEmit`. A block opts out with ```ts nocheck (a deliberate fragment).
//
// Invariant: a block is a whole program: it imports what it uses. A block with no import or export is still made
// a module, so that blocks never see each other's names.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: the parent of this script's directory. */
export const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

const FENCE = /^\s*(`{3,})\s*(ts|typescript)\b(.*)$/;

/** The ```ts blocks of a Markdown text: `{ line, code, nocheck }`, `line` being the first line of code (1-based). */
export function markdownBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const fence = open[1];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    blocks.push({ line: i + 2, code: body.join('\n'), nocheck: /\bnocheck\b/.test(open[3]) });
    i = j;
  }
  return blocks;
}

/** The `@example` ```ts blocks of the doc comments of a TypeScript source text, with the comment stars removed. */
export function tsdocBlocks(text) {
  const blocks = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let m = comment.exec(text); m !== null; m = comment.exec(text)) {
    const startLine = text.slice(0, m.index).split('\n').length;
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
    let inExample = false;
    for (let i = 0; i < lines.length; i++) {
      if (/^@example\b/.test(lines[i].trim())) inExample = true;
      else if (/^@\w/.test(lines[i].trim())) inExample = false;
      if (!inExample) continue;
      const open = FENCE.exec(lines[i]);
      if (open === null) continue;
      const body = [];
      let j = i + 1;
      while (j < lines.length && !lines[j].trim().startsWith(open[1])) body.push(lines[j++]);
      blocks.push({ line: startLine + i + 1, code: body.join('\n'), nocheck: /\bnocheck\b/.test(open[3]) });
      i = j;
    }
  }
  return blocks;
}

/** Every README.md and docs/**\/*.md of the repository, outside node_modules and dist. */
export function markdownFiles(dir = root) {
  const found = [];
  const walk = (d, inDocs) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path, inDocs || (d === dir && name === 'docs'));
      else if (name === 'README.md' || (inDocs && name.endsWith('.md'))) found.push(path);
    }
  };
  walk(dir, false);
  return found.sort();
}

/** The workspace packages: `{ name, dir, source }` for each packages/* directory with a package.json. */
export function workspacePackages(dir = root) {
  const packages = [];
  for (const name of readdirSync(join(dir, 'packages')).sort()) {
    const manifest = join(dir, 'packages', name, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    const source = pkg.exports?.['.']?.['@greenstackless/source'] ?? './src/index.ts';
    packages.push({ name: pkg.name, dir: join(dir, 'packages', name), source: join(dir, 'packages', name, source) });
  }
  return packages;
}

/** Every .ts file under packages/*\/src. */
export function sourceFiles(dir = root) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const pkg of workspacePackages(dir)) if (existsSync(join(pkg.dir, 'src'))) walk(join(pkg.dir, 'src'));
  return files;
}

/** The tsconfig.json of a user's project that type-checks `files` under `--strict`, with `options` added. */
export function strictTsconfig(files, options = {}) {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      ...options,
    },
    files,
  });
}

/**
 * Checks the blocks of `markdown` files and the `@example` blocks of `sources` files. Returns `{ checked, skipped,
 * failures }`, each failure `{ where, errors }` with `where` as `file:line` (relative to the root) of the block.
 */
export function checkSnippets({ markdown = markdownFiles(), sources = sourceFiles(), dir = root } = {}) {
  const snippets = [];
  let skipped = 0;
  const collect = (file, blocks) => {
    for (const block of blocks) {
      if (block.nocheck) skipped++;
      else snippets.push({ where: `${relative(dir, file)}:${block.line}`, code: block.code });
    }
  };
  for (const file of markdown) collect(file, markdownBlocks(readFileSync(file, 'utf8')));
  for (const file of sources) collect(file, tsdocBlocks(readFileSync(file, 'utf8')));
  if (snippets.length === 0) return { checked: 0, skipped, failures: [] };

  const project = mkdtempSync(join(tmpdir(), 'greenstackless-snippets-'));
  try {
    const names = snippets.map((s, i) => `snippet${String(i).padStart(3, '0')}.ts`);
    snippets.forEach((s, i) => {
      const isModule = /^\s*(import|export)\b/m.test(s.code);
      writeFileSync(join(project, names[i]), `${s.code}\n${isModule ? '' : 'export {};\n'}`);
    });
    const paths = {};
    for (const pkg of workspacePackages(dir)) paths[pkg.name] = [pkg.source];
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      strictTsconfig(names, {
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(dir, 'node_modules', '@types')],
        paths,
      }),
    );
    const tsc = join(dir, 'node_modules', '.bin', 'tsc');
    const run = spawnSync(tsc, ['-p', join(project, 'tsconfig.json'), '--pretty', 'false'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.error) throw run.error;
    const byWhere = new Map();
    const other = [];
    for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
      if (!line.includes('error TS')) continue;
      const m = /^(?:.*[\\/])?(snippet(\d+)\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
      if (m === null) {
        other.push(line.trim());
        continue;
      }
      const s = snippets[Number(m[2])];
      const where = s.where;
      if (!byWhere.has(where)) byWhere.set(where, []);
      byWhere.get(where).push(`line ${m[3]}: ${m[5]}`);
    }
    const failures = [...byWhere].map(([where, errors]) => ({ where, errors }));
    if (other.length > 0) failures.push({ where: '(outside the snippets)', errors: other });
    if (run.status !== 0 && failures.length === 0) {
      failures.push({ where: '(tsc)', errors: [`tsc exited with ${run.status}`, run.stdout, run.stderr] });
    }
    return { checked: snippets.length, skipped, failures };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

// Run directly: `node scripts/snippets.mjs` prints the failures and exits 1 if there are any.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { checked, skipped, failures } = checkSnippets();
  for (const f of failures) console.log(`${f.where}\n  ${f.errors.join('\n  ')}`);
  console.log(`snippets: ${checked} checked, ${skipped} skipped, ${failures.length} failing`);
  process.exit(failures.length === 0 ? 0 : 1);
}
