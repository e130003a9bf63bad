// greenlet-fix's own rules (docs/greenlet-fix.md, F1-F9): what holds between the greenlets of a module and the
// tasklets of its instance. The greenlet contract itself (docs/greenlet.md, docs/switching.md) is checked by the
// conformance suite on every tower.
import { describe, expect, it } from 'vitest';
import { GreenletError as NativeGreenletError, GreenletExit as NativeGreenletExit, native, sync } from '@greenstackless/greenlet';
import { createStackless, StacklessError, TaskletExit } from 'greenstackless';
import type { Stackless, Tasklet } from 'greenstackless';
import * as fix from '@greenstackless/greenlet-fix';
import { createGreenlet } from '@greenstackless/greenlet-fix';

function setup(): { s: Stackless; mod: fix.FixGreenletModule } {
  const s = createStackless(native);
  return { s, mod: createGreenlet(s) };
}

describe('F1: the module and its main', () => {
  it('F1: made outside the main tasklet, createGreenlet throws GreenletError naming the tasklets', () => {
    const s = createStackless(native);
    let error: unknown;
    s.tasklet(() => {
      try {
        createGreenlet(s);
      } catch (e) {
        error = e;
      }
    }).setup();
    sync(s.run());
    expect(error).toBeInstanceOf(NativeGreenletError);
    expect((error as Error).message).toContain('a greenlet module must be created in the main tasklet');
    expect((error as Error).message).toContain('Tasklet#main');
  });

  it('F1: createGreenlet of something that is no Stackless instance throws TypeError naming it', () => {
    expect(() => createGreenlet(null as any)).toThrow(TypeError);
    expect(() => createGreenlet(42 as any)).toThrow('createGreenlet needs a Stackless instance, not the number 42');
  });

  it("F1: instanceof holds only with the module's own Greenlet, for subclasses too; without new it throws", () => {
    const s = createStackless(native);
    const one = createGreenlet(s);
    const two = createGreenlet(s);
    class Worker extends one.Greenlet {
      done = false;
    }
    const w = new Worker(function* () {
      return 'worked';
    });
    expect([w instanceof Worker, w instanceof one.Greenlet, w instanceof two.Greenlet]).toEqual([true, true, false]);
    expect([one.getcurrent() instanceof one.Greenlet, one.getcurrent() instanceof two.Greenlet]).toEqual([true, false]);
    expect(new two.Greenlet()).not.toBeInstanceOf(Worker);
    expect(sync(w.switch())).toBe('worked');
    expect([w.dead, w.done]).toEqual([true, false]);
    expect(() => new two.Greenlet(null, w as any)).toThrow(TypeError); // w is not a greenlet of two
    expect(() => (one.Greenlet as any)()).toThrow("Class constructor Greenlet cannot be invoked without 'new'");
  });

  it('F1: the error classes are the native ones; main stands for the main tasklet, with no parent', () => {
    const { mod } = setup();
    expect(mod.GreenletExit).toBe(NativeGreenletExit);
    expect(mod.GreenletError).toBe(NativeGreenletError);
    const main = mod.getcurrent();
    expect(String(main)).toBe('Greenlet#main');
    expect(main.parent).toBe(null);
    expect([main.dead, main.active, main.run]).toEqual([false, true, undefined]);
    expect(main).toBeInstanceOf(mod.Greenlet);
  });

  it('F1: the named exports are the default module, made on the default instance in its main tasklet', () => {
    expect(fix.Greenlet).toBe(fix.greenletFix.Greenlet);
    expect(fix.getcurrent()).toBe(fix.greenletFix.getcurrent());
    expect(fix.getcurrent().parent).toBe(null);
    expect(fix.GreenletExit).toBe(NativeGreenletExit);
    const g = new fix.Greenlet(function* (x: number) {
      return x * 2;
    });
    expect(sync(g.switch(21))).toBe(42);
    const previous = fix.settrace(() => {});
    expect(previous).toBe(null);
    expect(typeof fix.gettrace()).toBe('function');
    fix.settrace(null);
  });

  it('F1: each module has its own Greenlet class; a greenlet of another module is no parent', () => {
    const a = setup().mod;
    const b = setup().mod;
    const g = new a.Greenlet();
    expect(g).not.toBeInstanceOf(b.Greenlet);
    expect(() => new b.Greenlet(null, g)).toThrow(TypeError);
    expect(() => new b.Greenlet(null, g)).toThrow('Expected any type of greenlet');
  });
});

describe('F2, F4: one tasklet per greenlet', () => {
  it('F2: inside run, the instance\'s current tasklet is the greenlet\'s own, for its whole life', () => {
    const { s, mod } = setup();
    const seen: Tasklet[] = [];
    const g = new mod.Greenlet(function* () {
      seen.push(s.getcurrent());
      yield* mod.getcurrent().parent!.switch();
      seen.push(s.getcurrent());
    });
    expect(s.runcount).toBe(1); // creating a greenlet makes no runnable tasklet
    sync(g.switch());
    sync(g.switch());
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).not.toBe(s.main);
    expect(s.current).toBe(s.main);
  });

  it('F4: a suspended greenlet\'s tasklet is paused, never runnable; a dead one\'s is no longer alive', () => {
    const { s, mod } = setup();
    let t: Tasklet | undefined;
    const g = new mod.Greenlet(function* () {
      t = s.getcurrent();
      yield* mod.getcurrent().parent!.switch();
    });
    sync(g.switch());
    expect([t!.alive, t!.paused, t!.scheduled, s.runcount]).toEqual([true, true, false, 1]);
    sync(g.switch());
    expect(g.dead).toBe(true);
    expect(t!.alive).toBe(false);
    expect(s.runcount).toBe(1);
  });
});

describe('F3: a switch is a directed transfer', () => {
  it('F3: the target runs at once, no other runnable tasklet runs in between, and runcount is unchanged', () => {
    const { s, mod } = setup();
    const log: string[] = [];
    const other = s.tasklet(() => log.push('other tasklet runs')).setup();
    s.setScheduleCallback((prev, next) => log.push(`schedule ${prev === s.main ? 'main' : 'g'} -> ${next === s.main ? 'main' : 'g'}`));
    const g = new mod.Greenlet(function* () {
      log.push(`g runs, runcount ${s.runcount}`);
      const v = yield* mod.getcurrent().parent!.switch('to main');
      log.push(`g got ${v}`);
      return 'g done';
    });
    expect(sync(g.switch())).toBe('to main');
    expect(s.runcount).toBe(2);
    expect(sync(g.switch('again'))).toBe('g done');
    s.setScheduleCallback(null);
    expect(log).toEqual([
      'schedule main -> g',
      'g runs, runcount 2',
      'schedule g -> main',
      'schedule main -> g',
      'g got again',
      'schedule g -> main',
    ]);
    expect(other.scheduled).toBe(true);
    sync(s.run());
    expect(log[log.length - 1]).toBe('other tasklet runs');
  });

  it('F3 (syncless greenlet_test testThrowWithDummyTasklet): throws, deaths and starts with a runnable tasklet waiting', () => {
    const { s, mod } = setup();
    const main = mod.getcurrent();
    let dummyRuns = 0;
    const dummy = s.tasklet(function* () {
      for (;;) {
        dummyRuns++;
        yield* s.schedule();
      }
    }).setup();
    const caught: string[] = [];
    const catcher = (tag: string) =>
      function* () {
        try {
          yield* main.switch(`${tag} ready`);
          caught.push(`${tag} ok`);
        } catch (e) {
          caught.push(`${tag} caught ${(e as Error).message}`);
        }
      };
    // A thrown error kills an unstarted child; its parent, suspended, catches it (G19, G14).
    const p1 = new mod.Greenlet(catcher('p1'));
    expect(sync(p1.switch())).toBe('p1 ready');
    const child1 = new mod.Greenlet(() => 'never', p1);
    expect(sync(child1.throw(new Error('into child1')))).toBe(undefined); // p1 ends: its result goes to main
    // An unstarted parent cannot catch: the error goes on up to main (G14).
    const p2 = new mod.Greenlet(catcher('p2'));
    const child2 = new mod.Greenlet(() => 'never', p2);
    expect(() => sync(child2.throw(new Error('into child2')))).toThrow('into child2');
    expect([p2.dead, child2.dead]).toEqual([true, true]);
    // A child's return resumes its suspended parent (G11).
    const p3 = new mod.Greenlet(catcher('p3'));
    expect(sync(p3.switch())).toBe('p3 ready');
    expect(sync(new mod.Greenlet(() => 42, p3).switch())).toBe(undefined);
    expect(caught).toEqual(['p1 caught into child1', 'p3 ok']);
    expect([dummyRuns, s.runcount]).toEqual([0, 2]);
    sync(dummy.kill());
    expect(s.runcount).toBe(1);
  });

  it('F3: while the switch trap is set, a switch throws the instance\'s StacklessError unchanged and changes nothing', () => {
    const { s, mod } = setup();
    const g = new mod.Greenlet(function* () {
      return 'ran';
    });
    s.switchTrap(1);
    try {
      expect(() => sync(g.switch())).toThrow(StacklessError);
      expect(() => sync(g.switch())).toThrow('switch_trap');
    } finally {
      s.switchTrap(-1);
    }
    expect([g.dead, g.active, typeof g.run]).toEqual([false, false, 'function']);
    expect(mod.getcurrent()).toBe(mod.getcurrent().parent === null ? mod.getcurrent() : undefined);
    expect(sync(g.switch())).toBe('ran');
  });

  it('F3: a throw is trapped the same way; the target keeps waiting and can be resumed afterwards', () => {
    const { s, mod } = setup();
    const g = new mod.Greenlet(function* () {
      const v = yield* mod.getcurrent().parent!.switch('waiting');
      return `resumed with ${v}`;
    });
    expect(sync(g.switch())).toBe('waiting');
    s.switchTrap(2);
    try {
      expect(() => sync(g.throw(new Error('trapped')))).toThrow('switch_trap');
    } finally {
      s.switchTrap(-2);
    }
    expect(sync(g.switch('ok'))).toBe('resumed with ok');
  });

  it('F3: a greenlet\'s death is never trapped: the trap is lifted for the transfer and put back', () => {
    const { s, mod } = setup();
    const g = new mod.Greenlet(function* () {
      s.switchTrap(1); // set inside the greenlet; its end still reaches main
      return 'dead anyway';
    });
    expect(sync(g.switch())).toBe('dead anyway');
    expect(s.switchTrap(-1)).toBe(1);
  });

  it('F3: inside a schedule callback, a switch throws the instance\'s StacklessError', () => {
    const { s, mod } = setup();
    const g = new mod.Greenlet(() => 'never');
    let error: unknown;
    s.setScheduleCallback(() => {
      if (error === undefined) {
        try {
          sync(g.switch());
        } catch (e) {
          error = e;
        }
      }
    });
    s.tasklet(() => {}).setup();
    sync(s.run());
    s.setScheduleCallback(null);
    expect(error).toBeInstanceOf(StacklessError);
    expect(g.dead).toBe(false);
    expect(g.active).toBe(false);
  });

  it('F3: the transfer is atomic: a pending soft interrupt does not take over a greenlet switch', () => {
    const { s, mod } = setup();
    const log: string[] = [];
    s.tasklet(function* () {
      const g = new mod.Greenlet(function* () {
        log.push('g runs');
        yield* mod.getcurrent().parent!.switch(); // back to the tasklet's stand-in
      });
      yield* s.tick(); // spends the budget: the soft interrupt is pending (P5)
      yield* g.switch();
      log.push(`back in the tasklet, atomic ${s.current.atomic}`);
      yield* s.schedule(); // a switch that is not atomic: the interrupt is taken here
      log.push('after the interrupt');
    }).setup();
    s.tasklet(() => log.push('other tasklet runs')).setup();
    expect(sync(s.run({ timeout: 1, soft: true }))).toBe(null);
    expect(log).toEqual(['g runs', 'back in the tasklet, atomic false']);
    sync(s.run());
    expect(log.slice(2).sort()).toEqual(['after the interrupt', 'other tasklet runs']);
  });
});

describe('F5, F6, F9: greenlets and the scheduler', () => {
  it('F5: a greenlet\'s error goes to its parent, never to the error handler or to W', () => {
    const { s, mod } = setup();
    const handled: unknown[] = [];
    s.setErrorHandler((e) => handled.push(e));
    const err = new Error('to the parent');
    const g = new mod.Greenlet(() => {
      throw err;
    });
    try {
      expect(() => sync(g.switch())).toThrow(err);
    } finally {
      s.setErrorHandler(null);
    }
    expect(handled).toEqual([]);
    expect(g.dead).toBe(true);
  });

  it('F6: a greenlet resumed by the scheduler as W gets GreenletError saying so', () => {
    const { s, mod } = setup();
    const ch = s.channel();
    const g = new mod.Greenlet(function* () {
      yield* ch.receive(); // the last runnable tasklet blocks: W, main, paused by the switch, resumes (C12)
    });
    let error: unknown;
    try {
      sync(g.switch());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NativeGreenletError);
    expect((error as Error).message).toContain('the scheduler, not a greenlet');
    expect(mod.getcurrent()).toBe(mod.getcurrent()); // main is running again
    expect(s.current).toBe(s.main);
    expect(ch.balance).toBe(-1);
  });

  it('F6: an error the instance throws into a waiting greenlet comes out unchanged (a kill of main, T18)', () => {
    const { s, mod } = setup();
    const g = new mod.Greenlet(function* () {
      yield* s.main.kill(); // main waits in a greenlet switch; the killer stays runnable
      return 'never';
    });
    expect(() => sync(g.switch())).toThrow(TaskletExit);
    expect(s.current).toBe(s.main);
    // F9: g's tasklet is runnable, not waiting in a switch of the module: switching to it is refused.
    const error = (() => {
      try {
        sync(g.switch());
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(NativeGreenletError);
    expect(error!.message).toContain(String(g));
    expect(s.runcount).toBe(2);
    s.main.next!.remove();
  });

  it('F9: a switch to a greenlet blocked on a channel throws GreenletError and changes nothing', () => {
    const { s, mod } = setup();
    const ch = s.channel();
    const log: unknown[] = [];
    const g = new mod.Greenlet(function* () {
      log.push(yield* ch.receive());
      return 'g done';
    });
    expect(() => sync(g.switch())).toThrow('the scheduler, not a greenlet'); // F6: main resumed as W (C12)
    let refusal: unknown;
    try {
      sync(g.switch('refused'));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(NativeGreenletError);
    expect((refusal as Error).message).toContain(String(g));
    expect([ch.balance, g.dead, g.active, s.runcount]).toEqual([-1, false, true, 1]);
    // F9, H7: g's end cannot go to main, which waits in a channel op, not in a greenlet switch: the
    // GreenletError goes to the caller of the innermost sync, main, with g's result as its cause.
    let redirected: unknown;
    try {
      sync(ch.send('sent'));
    } catch (e) {
      redirected = e;
    }
    expect(log).toEqual(['sent']);
    expect(redirected).toBeInstanceOf(NativeGreenletError);
    expect((redirected as Error).cause).toBe('g done');
    expect([g.dead, s.current === s.main, s.runcount]).toEqual([true, true, 1]);
  });
});

describe('H8 across the layers', () => {
  it('H8: an op of the instance forgotten in a greenlet body is that greenlet\'s end, and goes to its parent', () => {
    const { s, mod } = setup();
    const ch = s.channel();
    const p = new mod.Greenlet(function* () {
      const g = new mod.Greenlet(function* () {
        ch.send('never sent'); // the instance's op, forgotten
        return 'result';
      });
      try {
        yield* g.switch();
        return 'no error';
      } catch (e) {
        return e;
      }
    });
    const error = sync<Error>(p.switch());
    expect(error).toBeInstanceOf(NativeGreenletError);
    expect(error.message).toMatch(/never run/);
    expect(error.message).toContain(String(ch));
    expect(ch.balance).toBe(0);
  });
});

describe('F7: stand-ins for tasklets the module did not make', () => {
  it('F7: a tasklet\'s stand-in is one object, started, with main as parent; dead once the tasklet ends', () => {
    const { s, mod } = setup();
    const seen: unknown[] = [];
    let standin: fix.FixGreenlet | undefined;
    s.tasklet(() => {
      standin = mod.getcurrent();
      seen.push(standin === mod.getcurrent(), standin.parent === mod.getcurrent().parent, standin.active, standin.dead);
      seen.push(standin.run, standin instanceof mod.Greenlet);
    }).setup();
    sync(s.run());
    expect(seen).toEqual([true, true, true, false, undefined, true]);
    expect(standin!.parent).toBe(mod.getcurrent());
    expect(standin!.dead).toBe(true);
    expect(standin!.active).toBe(false);
    expect(String(standin)).toMatch(/^Greenlet#\d+$/);
  });

  it('F7: a greenlet made in a tasklet dies into that tasklet\'s stand-in, then into main once it is dead', () => {
    const { s, mod } = setup();
    const log: unknown[] = [];
    let late: fix.FixGreenlet | undefined;
    s.tasklet(function* () {
      const child = new mod.Greenlet(() => 'to the stand-in');
      log.push(yield* child.switch());
      late = new mod.Greenlet(() => 'to main');
    }).setup();
    sync(s.run());
    expect(sync(late!.switch())).toBe('to main');
    expect(log).toEqual(['to the stand-in']);
  });
});

describe('F8: tracing and the instance inside greenlet bodies', () => {
  it('G30/H7: the tracer sees an H7 redirect, from the greenlet whose end could not be delivered', () => {
    const { mod } = setup();
    const main = mod.getcurrent();
    const events: string[] = [];
    const victim = new mod.Greenlet(() => 'undeliverable'); // its parent, main, waits in the outer sync
    const g = new mod.Greenlet(() => {
      try {
        sync(victim.switch());
      } catch (e) {
        return e;
      }
    });
    const name = (x: unknown) => (x === main ? 'main' : x === g ? 'g' : x === victim ? 'victim' : String(x));
    mod.settrace((event, origin, target) => events.push(`${event} ${name(origin)} -> ${name(target)}`));
    let redirected: unknown;
    try {
      redirected = sync(g.switch());
    } finally {
      mod.settrace(null);
    }
    expect(redirected).toBeInstanceOf(NativeGreenletError);
    expect((redirected as Error).cause).toBe('undeliverable');
    expect(events).toEqual(['switch main -> g', 'switch g -> victim', 'throw victim -> g', 'switch g -> main']);
  });

  it('F8: the tracer sees the module\'s transfers; bodies may use the instance\'s channels', () => {
    const { s, mod } = setup();
    const ch = s.channel();
    const events: string[] = [];
    const main = mod.getcurrent();
    const g = new mod.Greenlet(function* () {
      return `got ${yield* ch.receive()}`;
    });
    s.tasklet(function* () {
      yield* ch.send('over the channel');
    }).setup();
    mod.settrace((event, origin, target) => events.push(`${event} ${origin === main ? 'main' : origin === g ? 'g' : 'other'} -> ${target === main ? 'main' : target === g ? 'g' : 'other'}`));
    try {
      expect(sync(g.switch())).toBe('got over the channel');
    } finally {
      mod.settrace(null);
    }
    expect(events).toEqual(['switch main -> g', 'switch g -> main']);
  });
});

describe('the body frame: switch ops that a body yields run inside its frame (frame.ts, H1-H3)', () => {
  it('H1: yielding an op that already ran throws GreenletError into the body at that yield; the body goes on', () => {
    const { mod } = setup();
    const events: unknown[] = [];
    const g = new mod.Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const main = mod.getcurrent().parent!;
      const op = main.switch('first');
      events.push(['back', yield op]);
      try {
        yield op;
      } catch (e) {
        events.push([(e as Error).constructor.name, (e as Error).message]);
      }
      return 'end';
    });
    events.push(['main got', sync(g.switch())]);
    events.push(['main got', sync(g.switch('again'))]);
    expect(events).toEqual([
      ['main got', 'first'],
      ['back', 'again'],
      ['GreenletError', 'the op Greenlet#main.switch() has already run; an op runs at most once (H1)'],
      ['main got', 'end'],
    ]);
    expect(g.dead).toBe(true);
  });

  it('H3: direct switches, switches from a sub-coroutine frame and yield* switches deliver the same values in order', () => {
    const { mod } = setup();
    const seen: unknown[] = [];
    function* child(main: fix.Greenlet, x: number): Generator<unknown, number, unknown> {
      const y = (yield main.switch(x)) as number; // pushed by the trampoline above the body frame
      return y * 10;
    }
    const g = new mod.Greenlet(function* (a: number) {
      const main = mod.getcurrent().parent!;
      const b = (yield main.switch(a + 1)) as number;
      seen.push(b);
      const c = (yield child(main, b + 1)) as number;
      seen.push(c);
      const d = (yield* main.switch(c + 1)) as number;
      seen.push(d);
      return d + 1;
    });
    expect(sync(g.switch(1))).toBe(2);
    expect(sync(g.switch(5))).toBe(6);
    expect(sync(g.switch(7))).toBe(71);
    expect(sync(g.switch(100))).toBe(101);
    expect(seen).toEqual([5, 70, 100]);
  });

  it('G18: an error thrown in at a yielded switch comes out of that yield; the body catches it and switches again', () => {
    const { mod } = setup();
    const events: string[] = [];
    const g = new mod.Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const main = mod.getcurrent().parent!;
      try {
        yield main.switch('waiting');
      } catch (e) {
        events.push(`caught ${(e as Error).message}`);
      }
      const v = yield main.switch('after');
      events.push(`got ${String(v)}`);
      return 'done';
    });
    expect(sync(g.switch())).toBe('waiting');
    expect(sync(g.throw(new RangeError('boom')))).toBe('after');
    expect(sync(g.switch('x'))).toBe('done');
    expect(events).toEqual(['caught boom', 'got x']);
    expect(g.dead).toBe(true);
  });

  it('H2: an op of the instance yielded in a body between two switches runs as usual (a channel round trip)', () => {
    const { s, mod } = setup();
    const ch = s.channel<number>();
    s.tasklet(function* () {
      const v = yield* ch.receive();
      yield* ch.send(v * 2);
    }).setup();
    const g = new mod.Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const main = mod.getcurrent().parent!;
      const x = (yield main.switch('ready')) as number;
      yield ch.send(x);
      const y = yield ch.receive();
      return y;
    });
    expect(sync(g.switch())).toBe('ready');
    expect(sync(g.switch(21))).toBe(42);
  });
});
