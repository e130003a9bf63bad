/**
 * Forgotten ops (docs/switching.md H8) and plain bodies (H9). JavaScript's own rules: greenlet has no counterpart
 * to port.
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, stateOf, type Topic } from './common.js';

export const forgottenAndPlain: Topic = (make) => {
  describe('forgotten ops and plain bodies (H8, H9)', () => {
    const env = useModule(make);

    it('H8: a forgotten op is reported at the body\'s next op, which counts as run; reported once', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        main.switch('forgotten'); // no yield*
        let error: unknown;
        try {
          yield* main.switch('next op');
        } catch (e) {
          error = e;
        }
        const after = yield* main.switch('after the report');
        return [error, after];
      });
      expect(sync(g.switch())).toBe('after the report');
      const [error, after] = sync<[Error, unknown]>(g.switch('resumed'));
      expect(error).toBeInstanceOf(mod.GreenletError);
      expect(error.message).toContain('switch');
      expect(error.message).toMatch(/never run/);
      expect(after).toBe('resumed');
    });

    it('H8: the op named is the one left unrun, even when an older op runs after a newer one is made', () => {
      const { mod } = env;
      const a = new mod.Greenlet(function* () { return 'a'; });
      const b = new mod.Greenlet(function* () { return 'b'; });
      const g = new mod.Greenlet(function* () {
        const first = a.switch(); // made first, run below
        b.switch(); // made second, never run
        yield first;
      });
      const e = catchError(() => sync(g.switch())) as Error;
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.message).toContain(`${b}.switch()`);
      expect(e.message).not.toContain(`${a}.switch()`);
      expect(e.message).toContain(`made in ${g}`);
      expect(g.dead).toBe(true);
      expect(a.dead).toBe(false); // the report replaced the op that would have started it (H8)
    });

    it('H8: of several ops left unrun, each later op reports the oldest one left, until none is', () => {
      const { mod, main } = env;
      const a = new mod.Greenlet(function* () { return 'a'; });
      const b = new mod.Greenlet(function* () { return 'b'; });
      const c = new mod.Greenlet(function* () { return 'c'; });
      const g = new mod.Greenlet(function* () {
        a.switch();
        b.switch();
        c.switch();
        const reports: string[] = [];
        for (;;) {
          try {
            yield* main.switch(reports);
            return reports;
          } catch (e) {
            reports.push((e as Error).message);
          }
        }
      });
      const reports = sync<string[]>(g.switch());
      expect(reports.length).toBe(3);
      expect(reports[0]).toContain(`${a}.switch()`);
      expect(reports[1]).toContain(`${b}.switch()`);
      expect(reports[2]).toContain(`${c}.switch()`);
      expect([a.dead, b.dead, c.dead]).toEqual([false, false, false]);
    });

    it('H8: a forgotten throw op is reported naming throw', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        main.throw(new SomeError());
        try {
          yield* main.switch();
        } catch (e) {
          return e;
        }
      });
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.message).toContain('throw');
    });

    it('H8: an op forgotten at the end replaces the result; the greenlet dies with it', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        main.switch();
        return 'result';
      });
      const e = catchError(() => sync(g.switch()));
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(g.dead).toBe(true);
    });

    it('H8: an op forgotten when the body throws replaces the error, which becomes its cause', () => {
      const { mod, main } = env;
      const err = new SomeError();
      const g = new mod.Greenlet(() => {
        main.switch();
        throw err;
      });
      const e = catchError(() => sync(g.switch()));
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect((e as Error).cause).toBe(err);
      expect(g.dead).toBe(true);
    });

    it('H8: an op made in main and left unrun is reported at main\'s next sync, in place of its op', () => {
      const { mod, main } = env;
      let ran = 0;
      const g = new mod.Greenlet(() => ++ran);
      g.switch('never run'); // made at the top level, not run
      const e = catchError(() => sync(g.switch()));
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect((e as Error).message).toBe(
        `the op ${String(g)}.switch() made in ${String(main)} was never run: run ops with yield*, yield or sync() (H8)`,
      );
      expect(ran).toBe(0); // the sync's own op did not run ...
      expect(stateOf(g)).toBe('dead=false active=false run=set');
      const op = g.switch();
      expect(sync(op)).toBe(1); // ... and the report is made once
      expect(() => sync(op)).toThrow('has already run'); // the refused op counted as run (H1)
    });

    it('H8: an op made in main and handed to a body is reported at main\'s next sync: make ops where they run', () => {
      const { mod, main } = env;
      const target = new mod.Greenlet((x: string) => `target got ${x}`);
      const runner = new mod.Greenlet(function* (make: () => unknown) {
        const got: unknown = yield make(); // made here, run here
        return ['runner', got];
      });
      target.parent = runner;
      const handed = target.switch('x');
      expect(() => sync(runner.switch(handed))).toThrow(
        `the op ${String(target)}.switch() made in ${String(main)} was never run`,
      );
      expect(runner.active).toBe(false);
      expect(sync(runner.switch(() => target.switch('y')))).toEqual(['runner', 'target got y']);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H8: of several ops main left unrun, each sync reports the oldest one left', () => {
      const { mod, main } = env;
      const a = new mod.Greenlet(() => 'a');
      const b = new mod.Greenlet(() => 'b');
      a.switch();
      b.throw();
      const reported: string[] = [];
      for (let i = 0; i < 2; i++) {
        const e = catchError(() => sync(main.switch('self')));
        reported.push((e as Error).message.split(' made in ')[0]);
      }
      expect(reported).toEqual([`the op ${String(a)}.switch()`, `the op ${String(b)}.throw()`]);
      expect(sync(main.switch('self'))).toBe('self');
    });

    it('H8: the forgotten-op check comes before the dead walk, G9 and H6', () => {
      const { mod } = env;
      const noRun = new mod.Greenlet();
      const g = new mod.Greenlet(function* () {
        noRun.switch(); // forgotten
        try {
          yield* noRun.switch();
        } catch (e) {
          return e;
        }
      });
      expect(sync(g.switch())).toBeInstanceOf(mod.GreenletError);
      expect(stateOf(noRun)).toBe('dead=false active=false run=none');
    });

    it('H1: a reused op is refused before G9\'s missing run is noticed', () => {
      const { mod } = env;
      const noRun = new mod.Greenlet();
      const op = noRun.switch();
      expect(() => sync(op)).toThrow(TypeError);
      expect(() => sync(op)).toThrow(mod.GreenletError);
    });

    it('H9: a plain body runs to completion in one call; its return value is its result', () => {
      const { mod } = env;
      const log: string[] = [];
      const g = new mod.Greenlet((a: number, b: number) => {
        log.push('called');
        return a + b;
      });
      expect(sync(g.switch(2, 3))).toBe(5);
      expect(log).toEqual(['called']);
      expect(g.dead).toBe(true);
    });

    it('H9: a plain body that throws: the error is its error', () => {
      const { mod } = env;
      const err = new SomeError();
      const g = new mod.Greenlet(() => {
        throw err;
      });
      expect(catchError(() => sync(g.switch()))).toBe(err);
    });

    it('H9: a plain body switches through sync (hard)', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function (this: GreenletLike) {
        const helper = new mod.Greenlet(function* (x: number) {
          return x * 10; // dies into g, the caller of the innermost sync
        });
        return sync<number>(helper.switch(4)) + 2;
      });
      expect(sync(g.switch())).toBe(42);
    });

    it('H9: a plain body returning an op runs it as the rest of the body', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(() => main.switch('from the op'));
      expect(sync(g.switch())).toBe('from the op');
      expect(stateOf(g)).toBe('dead=false active=true run=none');
      expect(sync(g.switch('op result'))).toBe('op result');
      expect(g.dead).toBe(true);
    });

    it('H9: a plain body returning a generator object runs it as the rest of the body', () => {
      const { mod, main } = env;
      const child = function* (x: number) {
        const y = (yield* main.switch(x)) as number;
        return x + y;
      };
      const g = new mod.Greenlet((x: number) => child(x));
      expect(sync(g.switch(1))).toBe(1);
      expect(sync(g.switch(2))).toBe(3);
      expect(g.dead).toBe(true);
    });

    it('H9: a generator object wrapped in an array is returned as a value', () => {
      const { mod } = env;
      const gen = (function* () {})();
      const g = new mod.Greenlet(() => [gen]);
      const result = sync<unknown[]>(g.switch());
      expect(result[0]).toBe(gen);
    });
  });
};
