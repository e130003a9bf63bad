// H8: ops that main's top-level code made and never ran are reported as process warnings at exit, one for each,
// when main never calls sync again. Each case runs fixtures/forgotten-at-exit.ts in a child process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/forgotten-at-exit.ts', import.meta.url));

function runFixture(kind: string): { status: number | null; stdout: string; warnings: string[] } {
  const child = spawnSync(
    process.execPath,
    ['--conditions=@greenstackless/source', '--import', 'tsx', fixture, kind],
    { encoding: 'utf8', timeout: 30_000 },
  );
  const warnings = child.stderr
    .split('\n')
    .filter((line) => line.includes('GreenletWarning'))
    .map((line) => line.replace(/^\(node:\d+\) /, ''));
  return { status: child.status, stdout: child.stdout, warnings };
}

const NEVER_RUN = 'was never run: run ops with yield*, yield or sync() (H8)';

describe('H8: ops main never ran are process warnings at exit', () => {
  it('H8: native ops: one warning for each, oldest first', () => {
    const { status, warnings } = runFixture('native');
    expect(status).toBe(0);
    expect(warnings).toEqual([
      `GreenletWarning: the op Greenlet#1.switch() made in Greenlet#main ${NEVER_RUN}`,
      `GreenletWarning: the op Greenlet#1.throw() made in Greenlet#main ${NEVER_RUN}`,
    ]);
  });

  it('H8: `ch.send(x); run();` at the top level names both ops', () => {
    const { status, warnings } = runFixture('stackless');
    expect(status).toBe(0);
    expect(warnings).toEqual([
      `GreenletWarning: the op Channel#1.send() made in Tasklet#main ${NEVER_RUN}`,
      `GreenletWarning: the op run() made in Tasklet#main ${NEVER_RUN}`,
    ]);
  });

  it('H8: greenlet-fix ops', () => {
    const { status, warnings } = runFixture('fix');
    expect(status).toBe(0);
    expect(warnings).toEqual([`GreenletWarning: the op Greenlet#1.switch() made in Greenlet#main ${NEVER_RUN}`]);
  });

  it('H8: also when the program ends with process.exit()', () => {
    const { status, warnings } = runFixture('process.exit');
    expect(status).toBe(0);
    expect(warnings).toEqual([`GreenletWarning: the op Greenlet#1.switch() made in Greenlet#main ${NEVER_RUN}`]);
  });

  it('H8: an op reported at a later sync is not reported again at exit; ops that ran give no warning', () => {
    const { status, stdout, warnings } = runFixture('clean');
    expect(status).toBe(0);
    expect(stdout).toBe(`the op Greenlet#1.switch() made in Greenlet#main ${NEVER_RUN}\n`);
    expect(warnings).toEqual([]);
  });
});
