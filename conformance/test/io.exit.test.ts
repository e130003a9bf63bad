// Exit behaviour of the hub in child processes (docs/io.md I7, I9, I14), on the default instance and on a tower:
// the deadlock report at exit, the default crash of an escaped error, and SIGINT/SIGTERM during main().
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/io/', import.meta.url));
const LIMIT = 30_000; // ms, each test

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a fixture (or a file given by its path from the root) with tsx; `onLine` sees each stdout line as it comes. */
function run(name: string, args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<Outcome> {
  const script = name.includes('/') ? name : `${FIXTURES}${name}.ts`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@greenstackless/source', script, ...args],
      { cwd: ROOT, timeout: LIMIT - 5_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        onLine?.(line, child);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function lines(out: string): string[] {
  return out.split('\n').filter((l) => l !== '');
}

for (const kind of ['default', 'tower']) {
  describe(`io exit behaviour: ${kind}`, () => {
    test('I14: join() rejects with DeadlockError listing each stuck tasklet and what it waits on', async () => {
      const r = await run('deadlock-join', [kind]);
      expect(r.code).toBe(0);
      expect(JSON.parse(lines(r.stdout)[0]!)).toEqual({
        deadlock: true,
        message: 'Deadlock: 2 tasklets are alive and the event loop is empty',
        tasklets: [['waiter', 'the reply'], ['receiver', 'blocked on a channel']],
      });
      expect(r.stderr).not.toContain('GREENSTACKLESS_DEADLOCK');
    }, LIMIT);

    test('I14, I9: a pending main() rejects with DeadlockError ("1 tasklet is alive") and drops its handlers', async () => {
      const r = await run('deadlock-main', [kind]);
      expect(r.code).toBe(0);
      expect(JSON.parse(lines(r.stdout)[0]!)).toEqual({
        deadlock: true,
        message: 'Deadlock: 1 tasklet is alive and the event loop is empty',
        descriptions: ['await a promise'],
        handlersLeft: 0,
      });
    }, LIMIT);

    test('I14: with no pending join() or main(), a warning with code GREENSTACKLESS_DEADLOCK and the list', async () => {
      const r = await run('deadlock-warning', [kind]);
      expect(r.code).toBe(0);
      const [names, warning] = lines(r.stdout);
      const [a, b] = JSON.parse(names!) as string[];
      expect(JSON.parse(warning!)).toEqual({
        name: 'Warning',
        code: 'GREENSTACKLESS_DEADLOCK',
        message: 'Deadlock: 2 tasklets are alive and the event loop is empty',
        detail: `${a}: await a promise\n${b}: a reply from nowhere`,
      });
      expect(r.stderr).toContain('[GREENSTACKLESS_DEADLOCK]');
    }, LIMIT);

    test('I14: unref waits do not count and keep nothing alive; join() stays pending', async () => {
      const t0 = performance.now();
      const r = await run('unref', [kind]);
      expect(r.code).toBe(0);
      expect(lines(r.stdout)).toEqual(['exit']);
      expect(performance.now() - t0).toBeLessThan(LIMIT - 10_000);
    }, LIMIT);

    test('I7: without onError, an escaped error is rethrown on a later tick and the process fails', async () => {
      const r = await run('crash', [kind]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('escaped from a plain tasklet');
      expect(lines(r.stdout)).toEqual(['exit 1']);
    }, LIMIT);

    test('I8: an unobserved rejection of a spawned tasklet\'s result is an unhandled rejection', async () => {
      const r = await run('unhandled', [kind]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('nobody listens');
      expect(lines(r.stdout)).toEqual(['exit 1']);
    }, LIMIT);

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      test(`I9: ${signal} during main() runs the teardown and finally blocks and rejects with TaskletExit`, async () => {
        const r = await run('signal', [kind], (line, child) => {
          if (line === 'ready') child.kill(signal);
        });
        expect(r.signal).toBe(null);
        expect(r.code).toBe(0);
        expect(lines(r.stdout)).toEqual(['ready', 'teardown', 'finally', 'rejected true handlers 0']);
      }, LIMIT);
    }
  });
}

test('I9: the io-sigint example cleans up and exits with 130 when SIGINT stops it', async () => {
  const r = await run('examples/io-sigint.ts', [], (line, child) => {
    if (line === 'ready') child.kill('SIGINT');
  });
  expect(r.code).toBe(130);
  expect(lines(r.stdout)).toEqual([
    'working; press Ctrl-C to stop', 'ready', 'cleaning up: resource open false', 'stopped by a signal',
  ]);
}, LIMIT);

test('I1: the default hub is made on first use: createHub(stackless, options) first gives it, with the options', async () => {
  const r = await run('default-hub', []);
  expect(r.code).toBe(0);
  expect(JSON.parse(lines(r.stdout)[0]!)).toEqual({
    same: true,
    again: 'true: this instance already has a hub',
    heard: ['heard by onError'],
  });
}, LIMIT);
