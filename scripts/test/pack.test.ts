// The packages as users get them: each packages/* directory with a package.json is packed with `pnpm pack`, the
// tarballs are installed with npm into a fresh project outside the workspace, and there a plain `node` runs an ES
// module that uses them, and `tsc --strict --noEmit` checks a TypeScript program against their declarations.
// The packages must have been built (`pnpm build`, which CI runs first); if a dist is missing, the test builds.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, strictTsconfig, workspacePackages } from '../snippets.mjs';

const packages = workspacePackages();
const work = mkdtempSync(join(tmpdir(), 'greenstackless-pack-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return result;
}

function expectOk(result: SpawnSyncReturns<string>): void {
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}

/** The package.json inside a tarball. */
function packedManifest(tarball: string): Record<string, any> {
  return JSON.parse(run('tar', ['xzf', tarball, '-O', 'package/package.json'], work).stdout);
}

const tarballOf = new Map<string, string>();

beforeAll(() => {
  if (packages.some((p) => !existsSync(join(p.dir, 'dist', 'index.js')))) expectOk(run('pnpm', ['build'], root));
  mkdirSync(tarballs);
  for (const p of packages) {
    const before = new Set(readdirSync(tarballs));
    expectOk(run('pnpm', ['pack', '--pack-destination', tarballs], p.dir));
    const made = readdirSync(tarballs).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    tarballOf.set(p.name, join(tarballs, made[0]));
  }
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }));
  expectOk(run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballOf.values()], project));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packed packages', () => {
  it('every package packs: dist, README.md and LICENSE, no sources, no workspace-only condition or version', () => {
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@greenstackless/greenlet', 'greenstackless', '@greenstackless/greenlet-fix']),
    );
    for (const p of packages) {
      const tarball = tarballOf.get(p.name)!;
      const files = run('tar', ['tzf', tarball], work).stdout.split('\n').filter(Boolean);
      expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/dist/index.js']));
      expect(files.filter((f) => f.startsWith('package/src/'))).toEqual([]);
      const manifest = packedManifest(tarball);
      const text = JSON.stringify(manifest);
      expect(text).not.toContain('@greenstackless/source');
      expect(text).not.toContain('workspace:');
      expect(manifest.exports['.'].default).toBe('./dist/index.js');
      expect(files).toContain(`package/${manifest.exports['.'].types.slice(2)}`);
      expect(manifest.license).toBe('MIT');
      expect(manifest.engines).toEqual({ node: '>=20' });
      expect(manifest.repository).toMatchObject({ type: 'git', directory: p.dir.slice(root.length + 1) });
      expect(typeof manifest.description).toBe('string');
      expect(manifest.keywords.length).toBeGreaterThan(0);
    }
  });

  it('plain node imports every installed package and runs a program on them', () => {
    const imports = packages.map((p, i) => `import * as p${i} from '${p.name}';`).join('\n');
    writeFileSync(
      join(project, 'program.mjs'),
      `${imports}
import { Greenlet, getcurrent, native, sync } from '@greenstackless/greenlet';
import { channel, createStackless, run, tasklet } from 'greenstackless';
import { createGreenlet } from '@greenstackless/greenlet-fix';
const out = [];
out.push([${packages.map((_, i) => `Object.keys(p${i}).length > 0`).join(', ')}].every(Boolean));
const main = getcurrent();
const g = new Greenlet(function* (x) { const y = yield* main.switch(x + 1); return y * 2; });
out.push(sync(g.switch(1)), sync(g.switch(10)));
const ch = channel();
tasklet(function* () { yield* ch.send('hello'); }).setup();
out.push(sync(ch.receive()), sync(run()));
const fix = createGreenlet(createStackless(native));
const tower = createStackless(fix);
const tch = tower.channel();
tower.tasklet(function* (a) { yield* tch.send(a * 3); }).setup(14);
out.push(sync(tch.receive()));
try { new Greenlet(async () => 1); } catch (e) { out.push(e.constructor.name); }
console.log(JSON.stringify(out));
`,
    );
    const result = run(process.execPath, ['program.mjs'], project);
    expectOk(result);
    expect(result.stdout.trim()).toBe(JSON.stringify([true, 2, 20, 'hello', null, 42, 'TypeError']));
    expect(result.stderr).toBe('');
  });

  it('a TypeScript program type-checks with tsc --strict against the installed declarations, internals hidden', () => {
    writeFileSync(
      join(project, 'program.ts'),
      `import { Greenlet, GreenletExit, getcurrent, native, sync, type Op } from '@greenstackless/greenlet';
import { channel, createStackless, stackless, tasklet, type Stackless, type Tasklet } from 'greenstackless';
import { createGreenlet, type FixGreenletModule } from '@greenstackless/greenlet-fix';

const main = getcurrent();
const g = new Greenlet(function* (x: number) {
  const y = (yield* main.switch(x + 1)) as number;
  return y * 2;
});
const first: number = sync(g.switch<number>(1));
const ch = channel<string>();
const t: Tasklet = tasklet(function* (prefix: string) {
  const text: string = yield* ch.receive();
  return prefix + text;
}).setup('> ');
const sent: Op<void> = ch.send('hi');
sync(sent);
const fix: FixGreenletModule = createGreenlet(createStackless(native));
const tower: Stackless = createStackless(fix);
const exit: GreenletExit = new GreenletExit();
const alive: boolean = t.alive && stackless.runcount > 0 && first > 0 && exit instanceof Error && tower.runcount === 1;
// @ts-expect-error: the greenlet's state is internal
g.state;
// @ts-expect-error: so is its sync level
g.syncLevel;
// @ts-expect-error: and the frame
g.frame;
export { alive };
`,
    );
    writeFileSync(join(project, 'tsconfig.json'), strictTsconfig(['program.ts'], { types: [] }));
    const result = run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], project);
    expectOk(result);
  });
});
