/**
 * Tracing (docs/greenlet.md G29-G33), with test_tracing.py's TestGreenletTracing (test_a_greenlet_tracing,
 * test_b_exception_disables_tracing, test_set_same_tracer_twice) and the example of docs/tracing.rst ported.
 *
 * Skipped: TestPythonTracing (sys.setprofile interplay; JavaScript has no such hook).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, recordTrace, stateOf, type Topic } from './common.js';

export const tracing: Topic = (make) => {
  describe('tracing (G29-G33)', () => {
    const env = useModule(make);

    it('G29: settrace returns the previous tracer or null; gettrace returns the tracer or null', () => {
      const { mod } = env;
      const t1 = () => {};
      const t2 = () => {};
      expect(mod.gettrace()).toBe(null);
      expect(mod.settrace(t1)).toBe(null);
      expect(mod.gettrace()).toBe(t1);
      expect(mod.settrace(t2)).toBe(t1);
      expect(mod.settrace(t2)).toBe(t2); // test_set_same_tracer_twice
      expect(mod.settrace(null)).toBe(t2);
      expect(mod.gettrace()).toBe(null);
      mod.settrace(t1);
      expect(mod.settrace(undefined as any)).toBe(t1);
      expect(mod.gettrace()).toBe(null);
    });

    it('G29: settrace with anything but a function, null or undefined throws TypeError and changes nothing', () => {
      const { mod } = env;
      const t1 = () => {};
      mod.settrace(t1);
      for (const bad of [42, 'trace', {}, true]) {
        expect(() => mod.settrace(bad as any)).toThrow(TypeError);
        expect(mod.gettrace()).toBe(t1);
      }
    });

    it('G30: test_a_greenlet_tracing: a start, a return, a start and a death by error', () => {
      const { mod, main } = env;
      const g1 = new mod.Greenlet(() => undefined);
      const g2 = new mod.Greenlet(() => {
        throw new SomeError();
      });
      const events = recordTrace(mod, { main, g1, g2 });
      sync(g1.switch());
      expect(() => sync(g2.switch())).toThrow(SomeError);
      expect(events).toEqual(['switch:main->g1', 'switch:g1->main', 'switch:main->g2', 'throw:g2->main']);
    });

    it('G30: docs/tracing.rst: origin and target switch and throw, in order', () => {
      const { mod, main } = env;
      const out: string[] = [];
      const origin: GreenletLike = new mod.Greenlet(function* () {
        out.push('In origin');
        yield* target.switch();
        out.push('Returned to origin');
        yield* target.throw();
      });
      const target: GreenletLike = new mod.Greenlet(function* () {
        yield* origin.switch();
      });
      const names: Record<string, GreenletLike> = { main, origin, target };
      const nameOf = (g: unknown) => Object.keys(names).find((k) => names[k] === g);
      mod.settrace((event, from, to) => out.push(`Transfer from ${nameOf(from)} to ${nameOf(to)} with ${event}`));
      sync(origin.switch());
      expect(out).toEqual([
        'Transfer from main to origin with switch',
        'In origin',
        'Transfer from origin to target with switch',
        'Transfer from target to origin with switch',
        'Returned to origin',
        'Transfer from origin to target with throw',
        // target dies of the GreenletExit: a value for its parent, main (G13).
        'Transfer from target to main with switch',
      ]);
      expect(target.dead).toBe(true);
      expect(origin.dead).toBe(false);
    });

    it('G30: a death by error through an unstarted parent is traced once per hop', () => {
      const { mod, main } = env;
      const p = new mod.Greenlet(() => 'never');
      const g = new mod.Greenlet(() => {
        throw new SomeError();
      }, p);
      const events = recordTrace(mod, { main, p, g });
      expect(() => sync(g.switch())).toThrow(SomeError);
      expect(events).toEqual(['switch:main->g', 'throw:g->p', 'throw:p->main']);
    });

    it('G30/G31: a death by value into an unstarted parent is traced per hop, each with the target current', () => {
      const { mod, main } = env;
      const p = new mod.Greenlet((v: string) => `${v} via p`);
      const g = new mod.Greenlet(() => 'g', p);
      const names: Record<string, unknown> = { main, p, g };
      const nameOf = (x: unknown) => Object.keys(names).find((k) => names[k] === x);
      const events: string[] = [];
      mod.settrace((event, origin, target) => {
        events.push(`${event}:${nameOf(origin)}->${nameOf(target)} current=${nameOf(mod.getcurrent())}`);
      });
      expect(sync(g.switch())).toBe('g via p');
      expect(events).toEqual([
        'switch:main->g current=g',
        'switch:g->p current=p',
        'switch:p->main current=main',
      ]);
    });

    it('G30: a death by GreenletExit and a redirect from a dead greenlet are switch events', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        throw new mod.GreenletExit();
      });
      const events = recordTrace(mod, { main, g });
      sync(g.switch());
      sync(g.switch('again'));
      expect(events).toEqual(['switch:main->g', 'switch:g->main', 'switch:main->main']);
    });

    it('G30: a resume from a suspended switch, a throw into a suspended greenlet and a self-switch', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        try {
          yield* main.switch();
        } catch {
          yield* this.switch();
          yield* main.switch('caught');
        }
      });
      const events = recordTrace(mod, { main, g });
      sync(g.switch());
      expect(sync(g.throw(new SomeError()))).toBe('caught');
      expect(events).toEqual(['switch:main->g', 'switch:g->main', 'throw:main->g', 'switch:g->g', 'switch:g->main']);
    });

    it('G31: the tracer runs with the target current, before any of its code; at a start before run', () => {
      const { mod, main } = env;
      const log: string[] = [];
      const names: Record<string, unknown> = {};
      const nameOf = (g: unknown) => Object.keys(names).find((k) => names[k] === g) ?? String(g);
      const g = new mod.Greenlet(function* () {
        log.push('run started');
        yield* main.switch();
        log.push('g resumed');
      });
      names.main = main;
      names.g = g;
      mod.settrace((event, origin, target) => {
        log.push(`${event} ${nameOf(origin)}->${nameOf(target)} current=${nameOf(mod.getcurrent())}`);
      });
      sync(g.switch());
      log.push('main resumed');
      sync(g.switch());
      expect(log).toEqual([
        'switch main->g current=g',
        'run started',
        'switch g->main current=main',
        'main resumed',
        'switch main->g current=g',
        'g resumed',
        'switch g->main current=main',
      ]);
    });

    it('G32: test_b_exception_disables_tracing: a tracer error removes tracing and is thrown at the target', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        yield* main.switch();
      });
      sync(g.switch());
      const actions: string[] = [];
      const x = new SomeError('from tracer');
      mod.settrace((event, origin, target) => {
        actions.push(`${event}:${origin === main ? 'main' : 'g'}->${target === main ? 'main' : 'g'}`);
        throw x;
      });
      // x is thrown at g's pending switch, which does not catch it: g dies and x reaches main.
      expect(catchError(() => sync(g.switch()))).toBe(x);
      expect(mod.gettrace()).toBe(null);
      expect(actions).toEqual(['switch:main->g']);
      expect(g.dead).toBe(true);
    });

    it('G32: a tracer error replaces the delivered value at the target\'s pending op', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        try {
          yield* main.switch();
        } catch (e) {
          yield* main.switch(['g caught', e]);
        }
      });
      sync(g.switch());
      const x = new SomeError('replaces');
      mod.settrace(() => {
        throw x;
      });
      expect(sync(g.switch('lost value'))).toEqual(['g caught', x]);
      expect(mod.gettrace()).toBe(null);
    });

    it('G32: a tracer error replaces the error of a throw', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        try {
          yield* main.switch();
        } catch (e) {
          return ['g caught', e];
        }
      });
      sync(g.switch());
      const x = new SomeError('replacement');
      mod.settrace(() => {
        throw x;
      });
      expect(sync(g.throw(new SomeError('original')))).toEqual(['g caught', x]);
      expect(mod.gettrace()).toBe(null);
    });

    it('G32: a tracer error at a redirect from a dead greenlet is thrown at the ancestor', () => {
      const { mod, main } = env;
      const ancestor = new mod.Greenlet(function* () {
        try {
          yield* main.switch();
        } catch (e) {
          return ['ancestor caught', e];
        }
      });
      sync(ancestor.switch());
      const dead = new mod.Greenlet(() => undefined, ancestor);
      dead.parent = main;
      sync(dead.switch());
      dead.parent = ancestor;
      const x = new SomeError();
      const targets: unknown[] = [];
      mod.settrace((_event, _origin, target) => {
        targets.push(target);
        throw x;
      });
      expect(sync(dead.switch('value'))).toEqual(['ancestor caught', x]);
      expect(targets.length).toBe(1);
      expect(targets[0]).toBe(ancestor);
    });

    it('G32: at a start, a tracer error means run is never called; the target dies and the error goes to the parent', () => {
      const { mod } = env;
      let called = false;
      const g = new mod.Greenlet(() => {
        called = true;
      });
      const x = new SomeError();
      mod.settrace(() => {
        throw x;
      });
      expect(catchError(() => sync(g.switch()))).toBe(x);
      expect(called).toBe(false);
      expect(stateOf(g)).toBe('dead=true active=false run=none');
      expect(mod.gettrace()).toBe(null);
    });

    it('G32: a tracer error at the hop into an unstarted parent kills the parent without running it', () => {
      const { mod, main } = env;
      let parentRan = false;
      const p = new mod.Greenlet(() => {
        parentRan = true;
      });
      const g = new mod.Greenlet(() => 'lost', p);
      const x = new SomeError();
      const events: string[] = [];
      mod.settrace((event, origin, target) => {
        events.push(`${event}:${origin === main ? 'main' : origin === g ? 'g' : 'p'}->${target === main ? 'main' : target === g ? 'g' : 'p'}`);
        if (events.length === 2) throw x;
      });
      expect(catchError(() => sync(g.switch()))).toBe(x);
      expect(events).toEqual(['switch:main->g', 'switch:g->p']); // tracing is off after the error
      expect(parentRan).toBe(false);
      expect([g.dead, p.dead]).toEqual([true, true]);
    });

    it('G32: at a self-switch, a tracer error comes out of the op', () => {
      const { mod, main } = env;
      const x = new SomeError();
      mod.settrace(() => {
        throw x;
      });
      expect(catchError(() => sync(main.switch('v')))).toBe(x);
      expect(mod.gettrace()).toBe(null);
      expect(mod.getcurrent()).toBe(main);
    });

    it('G32: a tracer error at a death goes to the receiver as a throw', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        yield* main.switch('started');
        return 'result lost';
      });
      sync(g.switch());
      const x = new SomeError();
      let calls = 0;
      mod.settrace((event) => {
        calls++;
        if (event === 'switch' && calls === 2) throw x;
      });
      // main -> g is traced (call 1), g's death into main is traced (call 2) and replaced by x.
      expect(catchError(() => sync(g.switch()))).toBe(x);
      expect(g.dead).toBe(true);
      expect(mod.gettrace()).toBe(null);
    });

    it('G33: running an op of the module inside the tracer throws GreenletError; the tracer may catch it', () => {
      const { mod, main } = env;
      const caught: unknown[] = [];
      const g = new mod.Greenlet(() => 'g done');
      const other = new mod.Greenlet(() => 'other');
      mod.settrace(() => {
        try {
          sync(other.switch());
        } catch (e) {
          caught.push(e);
        }
      });
      expect(sync(g.switch())).toBe('g done');
      expect(caught.length).toBe(2);
      for (const e of caught) expect(e).toBeInstanceOf(mod.GreenletError);
      expect(stateOf(other)).toBe('dead=false active=false run=set');
      expect(mod.gettrace()).not.toBe(null);
      expect(mod.getcurrent()).toBe(main);
    });

    it('G33: an escaping GreenletError from a switch inside the tracer follows G32', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        yield* main.switch();
      });
      sync(g.switch());
      mod.settrace(() => {
        sync(main.switch());
      });
      const e = catchError(() => sync(g.switch()));
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(mod.gettrace()).toBe(null);
      expect(g.dead).toBe(true);
    });
  });
};
