/**
 * Hard switching with `sync` (docs/switching.md H5-H7): `sync` from any code, generator objects as frames, last-in
 * first-out nesting, refused switches into an outer `sync` (H6) and deaths whose receiver waits there (H7).
 * JavaScript's own rules: greenlet has no counterpart to port.
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, recordTrace, type Topic } from './common.js';

export const hardSync: Topic = (make) => {
  describe('sync and hard switching (H5-H7)', () => {
    const env = useModule(make);

    it('H5: sync runs a generator object as a nested frame of the caller: several ops in one hard switch', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* (first: number) {
        let total = first;
        for (;;) total += (yield* main.switch(total)) as number;
      });
      const steps = function* () {
        const a = yield* g.switch(1);
        const b: unknown = yield g.switch(2);
        return [a, b, mod.getcurrent() === main];
      };
      expect(sync(steps())).toEqual([1, 3, true]);
    });

    it('H5: sync of a generator object gives its return value or throws its error', () => {
      const err = new SomeError();
      expect(sync((function* () {
        return 'no yields';
      })())).toBe('no yields');
      expect(catchError(() => sync((function* (): Generator<unknown, never, unknown> {
        throw err;
      })()))).toBe(err);
    });

    it('H4/H5: yielding a number in a frame run by sync from main throws TypeError into that frame', () => {
      const { mod, main } = env;
      const got = sync((function* () {
        try {
          yield 7;
        } catch (e) {
          return [e instanceof TypeError, mod.getcurrent() === main];
        }
        return 'accepted';
      })());
      expect(got).toEqual([true, true]);
    });

    it('H5: sync from a plain body and from a generator frame', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function* () {
        // h's parent is g: h's death returns into g's innermost sync.
        const h = new mod.Greenlet((x: number) => x * 2);
        const fromFrame = sync(h.switch(5));
        const k = new mod.Greenlet((x: number) => x + 1);
        const plain = () => sync(k.switch(fromFrame));
        return [fromFrame, plain()];
      });
      expect(sync(g.switch())).toEqual([10, 11]);
    });

    it('H5: sync with anything but an op or a generator object throws TypeError and changes nothing', () => {
      const { mod, main } = env;
      const events = recordTrace(mod, { main });
      for (const bad of [42, undefined, null, 'op', [1], new Set([1]), Promise.resolve(), () => 1, function* () {}, {}]) {
        expect(() => sync(bad as any)).toThrow(TypeError);
      }
      expect(events).toEqual([]);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H5: nested syncs return in last-in first-out order', () => {
      const { mod } = env;
      const log: string[] = [];
      const outer = new mod.Greenlet(function* () {
        const inner = new mod.Greenlet(function* () {
          log.push('inner runs');
          const back = yield* outer.switch('to outer');
          log.push(`inner resumed with ${back}`);
          return 'inner done';
        });
        const first = sync(inner.switch()); // outer is the caller of the innermost sync
        log.push(`outer got ${first}`);
        const second = sync(inner.switch('again'));
        log.push(`outer got ${second}`);
        return 'outer done';
      });
      expect(sync(outer.switch())).toBe('outer done');
      expect(log).toEqual(['inner runs', 'outer got to outer', 'inner resumed with again', 'outer got inner done']);
    });

    it('H6: a switch to a greenlet suspended in an outer sync throws GreenletError naming both, changing nothing', () => {
      const { mod, main } = env;
      let refusal: unknown;
      let stateAfter = '';
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        // main waits in the outer sync below; this sync is the innermost one.
        const events = recordTrace(mod, { main, g });
        try {
          sync(main.switch('refused'));
        } catch (e) {
          refusal = e;
        }
        stateAfter = `${events.length} ${mod.getcurrent() === this}`;
        mod.settrace(null);
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      const message = (refusal as Error).message;
      expect(message).toContain(String(g));
      expect(message).toContain(String(main));
      expect(stateAfter).toBe('0 true');
    });

    it('H6: a greenlet suspended in any sync that is not the innermost is refused, not only main', () => {
      const { mod } = env;
      let refusal: unknown;
      const a = new mod.Greenlet(function* () {
        const b = new mod.Greenlet(function* () {
          const c = new mod.Greenlet(function* () {
            try {
              yield* a.switch('refused'); // a waits in the middle sync, b in the innermost
            } catch (e) {
              refusal = e;
            }
            return 'c done';
          });
          return sync(c.switch()); // b is the caller of the innermost sync; c dies into b
        });
        return sync(b.switch()); // a is the caller of the middle sync; b dies into a
      });
      expect(sync(a.switch())).toBe('c done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      expect((refusal as Error).message).toContain(String(a));
      expect([a.dead, refusal !== undefined]).toEqual([true, true]);
    });

    it('H6: a throw to a greenlet suspended in an outer sync is refused the same way, delivering nothing', () => {
      const { mod, main } = env;
      let refusal: unknown;
      const g = new mod.Greenlet(function* () {
        try {
          sync(main.throw(new SomeError('never delivered')));
        } catch (e) {
          refusal = e;
        }
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      expect((refusal as Error).message).toContain(String(main));
    });

    it('H6: the refusal applies after the dead walk', () => {
      const { mod, main } = env;
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch()); // dead's parent is main
      let refusal: unknown;
      const g = new mod.Greenlet(function* () {
        try {
          sync(dead.switch('via dead'));
        } catch (e) {
          refusal = e;
        }
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      expect((refusal as Error).message).toContain(String(main));
    });

    it('H6: a greenlet suspended softly can be resumed from any depth of syncs', () => {
      const { mod } = env;
      const soft = new mod.Greenlet(function* () {
        let v = yield* mod.getcurrent().parent!.switch('soft ready');
        for (;;) v = yield* mod.getcurrent().parent!.switch(['soft got', v]);
      });
      sync(soft.switch());
      const g = new mod.Greenlet(function* () {
        soft.parent = g;
        const inner = () => sync(soft.switch('deep'));
        return (() => inner())();
      });
      expect(sync(g.switch())).toEqual(['soft got', 'deep']);
    });

    it('H7: a death whose receiver waits in an outer sync throws GreenletError with the value as cause', () => {
      const { mod, main } = env;
      const victim = new mod.Greenlet(() => 'undeliverable'); // parent main, which waits in the outer sync
      let redirected: unknown;
      const g = new mod.Greenlet(function* () {
        try {
          sync(victim.switch());
        } catch (e) {
          redirected = e;
        }
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(redirected).toBeInstanceOf(mod.GreenletError);
      expect((redirected as Error).cause).toBe('undeliverable');
      expect(victim.dead).toBe(true);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H7: a death by error into an outer sync gives the error as cause, at the innermost frame first', () => {
      const { mod } = env;
      const err = new SomeError();
      const victim = new mod.Greenlet(() => {
        throw err;
      });
      const log: string[] = [];
      const frame = function* () {
        try {
          return sync(victim.switch());
        } finally {
          log.push('frame finally');
        }
      };
      const g = new mod.Greenlet(function* () {
        try {
          yield frame();
        } catch (e) {
          log.push('g caught');
          return e;
        }
      });
      const redirected = sync<Error>(g.switch());
      expect(redirected).toBeInstanceOf(mod.GreenletError);
      expect(redirected.cause).toBe(err);
      expect(log).toEqual(['frame finally', 'g caught']);
      expect(victim.dead).toBe(true);
    });

    it('H7: a GreenletExit that cannot be delivered is the cause', () => {
      const { mod } = env;
      const exit = new mod.GreenletExit();
      const victim = new mod.Greenlet(() => {
        throw exit;
      });
      const g = new mod.Greenlet(() => catchError(() => sync(victim.switch())));
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.cause).toBe(exit);
    });

    it('H7: the refused receiver is found after the parent walk: an unstarted parent runs, then dies into main', () => {
      const { mod } = env;
      const log: string[] = [];
      const p = new mod.Greenlet((v: string) => {
        log.push(`p ran with ${v}`);
        return `${v} via p`;
      }); // p's parent is main, waiting in the outer sync
      const victim = new mod.Greenlet(() => 'victim', p);
      const g = new mod.Greenlet(() => catchError(() => sync(victim.switch())));
      const e = sync<Error>(g.switch());
      expect(log).toEqual(['p ran with victim']);
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.cause).toBe('victim via p');
      expect([victim.dead, p.dead]).toEqual([true, true]);
    });

    it('H7: uncaught, the GreenletError comes out of the innermost sync', () => {
      const { mod } = env;
      const victim = new mod.Greenlet(() => 'lost');
      const g = new mod.Greenlet(() => {
        const e = catchError(() => sync(victim.switch()));
        return e;
      });
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.cause).toBe('lost');
    });
  });

};
