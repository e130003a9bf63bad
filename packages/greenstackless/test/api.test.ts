/**
 * A smoke test of every member of the API (packages/greenstackless/README.md, Reference), on the default instance
 * and on fresh ones, and the misuse errors of T7, T9, C3, C7, T19, S12, S16 with their texts (N1): each failure
 * names the object and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { GreenletError, native, sync } from '@greenstackless/greenlet';
import * as pkg from 'greenstackless';
import {
  ChannelClosedError, createStackless, DeadlockError, StacklessError, TaskletExit, type Stackless,
} from 'greenstackless';
import { inspect } from 'node:util';

/** The ring from main, as names. */
function ring(s: Stackless): string[] {
  const names = [String(s.main)];
  for (let t = s.main.next; t !== null && t !== s.main; t = t.next) names.push(String(t));
  return names;
}

describe('the default instance and its bound members (S1)', () => {
  it('exports the instance, createStackless, the bound functions and the four error classes', () => {
    const { stackless } = pkg;
    expect(pkg.Tasklet).toBe(stackless.Tasklet);
    expect(pkg.Channel).toBe(stackless.Channel);
    for (const name of [
      'tasklet', 'channel', 'getcurrent', 'getmain', 'getruncount', 'schedule', 'scheduleRemove', 'run', 'tick',
      'atomic', 'switchTrap', 'setScheduleCallback', 'getScheduleCallback', 'setChannelCallback',
      'getChannelCallback', 'setErrorHandler', 'getErrorHandler',
    ] as const) {
      expect(typeof pkg[name], name).toBe('function');
    }
    // Bound: they work without their instance as `this`.
    const { getcurrent, getmain, getruncount, tasklet, channel, schedule, run } = pkg;
    expect(getcurrent()).toBe(stackless.main);
    expect(getmain()).toBe(stackless.main);
    expect(getruncount()).toBe(1);
    const ch = channel<number>();
    const log: number[] = [];
    tasklet(function* () {
      log.push(yield* ch.receive());
    }).setup();
    expect(sync(schedule())).toBe(stackless.main); // S7: retval defaults to the current tasklet
    sync(ch.send(7));
    expect(sync(run())).toBe(null);
    expect(log).toEqual([7]);
    expect(stackless.TaskletExit).toBe(TaskletExit);
    expect(stackless.StacklessError).toBe(StacklessError);
    expect(stackless.DeadlockError).toBe(DeadlockError);
    expect(stackless.ChannelClosedError).toBe(ChannelClosedError);
    expect(new DeadlockError('x')).toBeInstanceOf(StacklessError);
    expect(new ChannelClosedError('x')).toBeInstanceOf(StacklessError);
    expect(new TaskletExit().name).toBe('TaskletExit');
  });
});

describe('S1: instances', () => {
  it('S1: a new instance has a main tasklet that is current, alive and alone in the ring', () => {
    const s = createStackless(native);
    expect(s.current).toBe(s.main);
    expect(s.getcurrent()).toBe(s.main);
    expect(s.getmain()).toBe(s.main);
    expect([s.main.alive, s.main.isMain, s.main.isCurrent, s.main.scheduled, s.main.paused]).toEqual([
      true, true, true, true, false,
    ]);
    expect([s.main.next, s.main.prev]).toEqual([s.main, s.main]);
    expect([s.runcount, s.getruncount()]).toEqual([1, 1]);
    expect(String(s.main)).toBe('Tasklet#main');
  });

  it('S1: createStackless outside a main greenlet throws StacklessError "an instance must be created in a main greenlet"', () => {
    const s = createStackless(native);
    let error: unknown;
    s.tasklet(() => {
      try {
        createStackless(native);
      } catch (e) {
        error = e;
      }
    }).setup();
    sync(s.run());
    expect(error).toBeInstanceOf(StacklessError);
    expect((error as Error).message).toContain('an instance must be created in a main greenlet');
  });

  it('each instance has its own classes and serial numbers; names come from toString and inspect', () => {
    const a = createStackless(native);
    const b = createStackless(native);
    const ta = a.tasklet();
    const tb = b.tasklet();
    expect(ta).toBeInstanceOf(a.Tasklet);
    expect(ta).not.toBeInstanceOf(b.Tasklet);
    expect(b.channel()).not.toBeInstanceOf(a.Channel);
    expect([String(ta), String(tb), String(a.tasklet())]).toEqual(['Tasklet#1', 'Tasklet#1', 'Tasklet#2']);
    expect([String(a.channel()), String(a.channel()), String(b.channel())]).toEqual([
      'Channel#1', 'Channel#2', 'Channel#2', // b made its Channel#1 above
    ]);
    expect(inspect(ta)).toBe('Tasklet#1 <not alive>');
    expect(inspect(a.main)).toBe('Tasklet#main <current>');
    expect(inspect(b.channel())).toBe('Channel#3 <balance 0>');
    expect(new a.Tasklet()).toBeInstanceOf(a.Tasklet);
    expect(new a.Channel()).toBeInstanceOf(a.Channel);
  });

  it("S1: a subclass of an instance's Tasklet or Channel makes objects of that instance, instanceof both", () => {
    const a = createStackless(native);
    const b = createStackless(native);
    class Named extends a.Tasklet {
      label = 'named';
    }
    class Counted extends b.Channel<number> {
      sent = 0;
    }
    const t = new Named(function* () {});
    const ch = new Counted();
    expect([t instanceof Named, t instanceof a.Tasklet, t instanceof b.Tasklet, t.label]).toEqual([
      true, true, false, 'named',
    ]);
    expect([ch instanceof Counted, ch instanceof b.Channel, ch instanceof a.Channel, ch.sent]).toEqual([
      true, true, false, 0,
    ]);
    expect(a.tasklet()).not.toBeInstanceOf(Named);
    // The subclass's objects belong to its instance: a's ring runs t, and b names ch among its channels.
    t.setup();
    expect(a.runcount).toBe(2);
    sync(a.run());
    expect([t.alive, String(ch)]).toEqual([false, 'Channel#1']);
    expect(() => t.bind(42 as any)).toThrow(TypeError);
  });

  it("S1: an instance's Tasklet and Channel called without new throw TypeError; instanceof refuses primitives", () => {
    const a = createStackless(native);
    expect(() => (a.Tasklet as any)()).toThrow("Class constructor Tasklet cannot be invoked without 'new'");
    expect(() => (a.Channel as any)()).toThrow("Class constructor Channel cannot be invoked without 'new'");
    const values: unknown[] = [42, null, {}, 'Tasklet#main'];
    expect(values.map((v) => v instanceof a.Tasklet || v instanceof a.Channel)).toEqual([false, false, false, false]);
    expect([a.Tasklet.name, a.Channel.name]).toEqual(['Tasklet', 'Channel']);
  });

  it('S3: an op of one instance run in a tasklet of another throws StacklessError naming both; nothing changes', () => {
    const a = createStackless(native);
    const b = createStackless(native);
    const cha = a.channel();
    let error: unknown;
    b.tasklet(function* () {
      try {
        yield* cha.send(1);
      } catch (e) {
        error = e;
      }
    }).setup();
    sync(b.run());
    expect(error).toBeInstanceOf(StacklessError);
    expect((error as Error).message).toContain('Channel#1.send()');
    expect((error as Error).message).toContain('Tasklet#main');
    expect([cha.balance, a.runcount, b.runcount]).toEqual([0, 1, 1]);
  });
});

describe('tasklet attributes and queue methods (T1-T15)', () => {
  it('T6: a new tasklet is neither alive nor scheduled; bind, setup, insert, remove move it through the table', () => {
    const s = createStackless(native);
    function* body(x: number) {
      return x;
    }
    const t = s.tasklet();
    const flags = () => [t.alive, t.paused, t.blocked, t.scheduled];
    expect(flags()).toEqual([false, false, false, false]);
    expect([t.atomic, t.blockTrap, t.isMain, t.isCurrent, t.next, t.prev, t.tempval, t.restorable]).toEqual([
      false, false, false, false, null, null, undefined, true,
    ]);
    expect(t.bind(body)).toBe(t);
    expect(t.tempval).toBe(body); // T10: the function while bound and not alive
    expect(flags()).toEqual([false, false, false, false]);
    t.bind(null, [1]);
    expect(flags()).toEqual([true, true, false, false]);
    expect(t.tempval).toBe(undefined);
    expect(t.insert()).toBe(t);
    expect(flags()).toEqual([true, false, false, true]);
    expect(ring(s)).toEqual(['Tasklet#main', 'Tasklet#1']);
    expect(t.insert()).toBe(t); // T12: stays where it is
    expect(s.runcount).toBe(2);
    expect(t.remove()).toBe(t);
    expect(flags()).toEqual([true, true, false, false]);
    expect(t.remove()).toBe(t); // T7: not an error on a paused tasklet
    expect(s.runcount).toBe(1);
    t.bind(); // T3: unbinds, loses the call
    expect([t.alive, t.tempval]).toEqual([false, undefined]);
    expect(() => t.setup()).toThrow('the tasklet was not bound to a function');
  });

  it('T1: new Tasklet(fn, args) and tasklet(fn, args) bind; setup(...args) appends; the result is dropped (T5)', () => {
    const s = createStackless(native);
    const log: unknown[] = [];
    const a = new s.Tasklet(function* (this: unknown, x: number, y: number) {
      log.push(['a', this, x, y]);
      return 'dropped';
    }, [1, 2]);
    expect([a.alive, a.paused]).toEqual([true, true]);
    a.insert();
    s.tasklet((x: string) => log.push(['b', x])).setup('p');
    expect(s.runcount).toBe(3);
    expect(sync(s.run())).toBe(null);
    expect(log).toEqual([['a', undefined, 1, 2], ['b', 'p']]);
    expect([a.alive, a.tempval]).toEqual([false, undefined]);
  });

  it('T8: next and prev are ring neighbours, channel-queue neighbours (null at the ends), or null', () => {
    const s = createStackless(native);
    const ch = s.channel();
    const body = function* () {
      yield* ch.receive();
    };
    const a = s.tasklet(body).setup();
    const b = s.tasklet(body).setup();
    expect([a.prev, a.next, b.next]).toEqual([s.main, b, s.main]);
    sync(s.schedule());
    expect([ch.queue, a.prev, a.next, b.prev, b.next]).toEqual([a, null, b, a, null]);
    sync(ch.send(1));
    sync(ch.send(2));
    sync(s.run());
    expect([a.next, a.prev, a.alive, b.alive]).toEqual([null, null, false, false]);
  });

  it('T9: setAtomic returns the previous value; blockTrap takes booleans and numbers', () => {
    const s = createStackless(native);
    const t = s.tasklet();
    expect(t.setAtomic(1)).toBe(false);
    expect(t.atomic).toBe(true);
    expect(t.setAtomic(false)).toBe(true);
    t.blockTrap = 2;
    expect(t.blockTrap).toBe(true);
    t.blockTrap = 0;
    expect(t.blockTrap).toBe(false);
    expect(() => t.setAtomic('yes' as never)).toThrow(new TypeError('Tasklet#1: set_atomic needs exactly one bool or integer'));
    expect(() => {
      t.blockTrap = null as never;
    }).toThrow('block_trap must be set to a bool or integer');
    expect([t.atomic, t.blockTrap]).toEqual([false, false]);
  });
});

describe('T7: illegal transitions, with their texts, change nothing', () => {
  function blockedSetup() {
    const s = createStackless(native);
    const ch = s.channel();
    const t = s.tasklet(function* () {
      yield* ch.receive();
    }).setup();
    sync(s.schedule());
    return { s, ch, t };
  }

  function expectRefused(action: () => unknown, cls: Function, text: string, check: () => unknown): Error {
    const before = check();
    let error: unknown;
    try {
      action();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(cls);
    expect((error as Error).message).toContain(text);
    expect(check()).toEqual(before);
    return error as Error;
  }

  it('T7: insert, run, switch on a blocked tasklet: "You cannot run a blocked tasklet" (wins over the switch trap)', () => {
    const { s, ch, t } = blockedSetup();
    const state = () => [ch.balance, t.blocked, s.runcount, String(s.current)];
    expectRefused(() => t.insert(), StacklessError, 'You cannot run a blocked tasklet', state);
    expectRefused(() => sync(t.run()), StacklessError, 'You cannot run a blocked tasklet', state);
    s.switchTrap(1);
    const e = expectRefused(() => sync(t.switch()), StacklessError, 'You cannot run a blocked tasklet', state);
    s.switchTrap(-1);
    expect(e.message).toContain('Tasklet#1');
    expectRefused(() => t.remove(), StacklessError, 'You cannot remove a blocked tasklet.', state);
    expectRefused(() => t.bind(null), StacklessError, 'tasklet is scheduled', state);
    sync(ch.send(0));
    sync(s.run());
  });

  it('T7: insert, run, switch on a dead or new tasklet: "You cannot run an unbound(dead) tasklet"', () => {
    const s = createStackless(native);
    const t = s.tasklet(function* () {});
    const state = () => [t.alive, t.scheduled, s.runcount];
    expectRefused(() => t.insert(), StacklessError, 'You cannot run an unbound(dead) tasklet', state);
    expectRefused(() => sync(t.run()), StacklessError, 'You cannot run an unbound(dead) tasklet', state);
    expectRefused(() => sync(t.switch()), StacklessError, 'You cannot run an unbound(dead) tasklet', state);
  });

  it('T2/T7: bind on the current, the main, a scheduled tasklet, or one waiting in run()', () => {
    const s = createStackless(native);
    expectRefused(() => s.main.bind(null), StacklessError, "can't (re)bind the current tasklet", () => s.runcount);
    const t = s.tasklet(function* () {}).setup();
    expectRefused(() => t.bind(null), StacklessError, 'tasklet is scheduled', () => t.alive);
    expectRefused(() => t.bind(5 as never), TypeError, 'tasklet function must be a callable or None', () => t.alive);
    expectRefused(() => t.bind(null, 'x' as never), TypeError, 'array', () => t.alive);
    const errors: string[] = [];
    const u = s.tasklet(function* () {
      try {
        s.main.bind(null);
      } catch (e) {
        errors.push((e as Error).message);
      }
      try {
        w.bind(null);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }, []);
    const w = s.tasklet(function* () {
      u.insert();
      yield* s.run(); // w waits in run() while u runs
    }).setup();
    sync(s.run());
    expect(errors).toEqual(["Tasklet#main.bind(): can't unbind the main tasklet", 'Tasklet#3.bind(): tasklet is waiting in run()']);
    expect(s.runcount).toBe(1);
  });

  it('T4/T7: setup on an alive tasklet: "tasklet is alive"; without a function: "the tasklet was not bound to a function"', () => {
    const s = createStackless(native);
    const t = s.tasklet(function* () {}).setup();
    expectRefused(() => t.setup(), StacklessError, 'tasklet is alive', () => s.runcount);
    expectRefused(() => s.tasklet().setup(), StacklessError, 'the tasklet was not bound to a function', () => s.runcount);
    expectRefused(() => s.main.remove(), StacklessError, 'The current tasklet cannot be removed.', () => s.runcount);
    sync(s.run());
    // T5: the binding ends with the tasklet.
    expectRefused(() => t.setup(), StacklessError, 'the tasklet was not bound to a function', () => s.runcount);
  });

  it('T16/T19: throw and raiseException argument errors are TypeErrors with the original texts', () => {
    const s = createStackless(native);
    const t = s.tasklet(function* () {}).setup();
    expect(() => t.throw(undefined)).toThrow(TypeError);
    expect(() => (t.raiseException as any)()).toThrow('raise_exception() takes at least 1 argument');
    expect(() => t.raiseException(5 as never)).toThrow(
      'tasklet.raise_exception needs Exception or string subclass as first parameter',
    );
    const dead = s.tasklet(function* () {});
    expectRefused(() => sync(dead.throw(new Error('x'))), StacklessError, 'You cannot throw to a dead tasklet', () => s.runcount);
    expect(sync(dead.kill())).toBe(undefined); // T7: not an error
    expect(sync(dead.throw(new TaskletExit()))).toBe(undefined);
    sync(s.run());
  });

  it('S13: a switch under the switch trap throws "switch_trap"; a pending throw and a self-run do not', () => {
    const s = createStackless(native);
    const t = s.tasklet(function* () {}).setup();
    expect(s.switchTrap(1)).toBe(0);
    const state = () => [s.runcount, t.alive, String(s.current), s.main.tempval];
    expectRefused(() => sync(s.schedule()), StacklessError, 'switch_trap', state);
    expectRefused(() => sync(t.run()), StacklessError, 'switch_trap', state);
    expectRefused(() => sync(s.run()), StacklessError, 'switch_trap', state);
    expectRefused(() => sync(t.kill()), StacklessError, 'switch_trap', state);
    s.main.tempval = 'kept';
    expect(sync(s.main.switch())).toBe('kept'); // M10
    expect(sync(t.kill({ pending: true }))).toBe(undefined);
    expect(s.switchTrap(-1)).toBe(1);
    expect(() => s.switchTrap(0.5)).toThrow(TypeError);
    expect(s.switchTrap()).toBe(0);
    sync(s.run());
    expect(t.alive).toBe(false);
  });
});

describe('channel attributes (C1-C4, C7)', () => {
  it('C1/C3: defaults; preference clamps; scheduleAll keeps a boolean; bad values throw the texts', () => {
    const s = createStackless(native);
    const ch = s.channel();
    expect([ch.balance, ch.queue, ch.preference, ch.scheduleAll, ch.closing, ch.closed]).toEqual([
      0, null, -1, false, false, false,
    ]);
    ch.preference = 5;
    expect(ch.preference).toBe(1);
    ch.preference = -7;
    expect(ch.preference).toBe(-1);
    ch.preference = false;
    expect(ch.preference).toBe(0);
    ch.preference = true;
    expect(ch.preference).toBe(1);
    expect(() => {
      ch.preference = 2.5;
    }).toThrow(new TypeError('Channel#1: preference must be set to an integer'));
    expect(() => {
      ch.preference = Number.NaN;
    }).toThrow('preference must be set to an integer');
    expect(ch.preference).toBe(1);
    ch.scheduleAll = 3;
    expect(ch.scheduleAll).toBe(true);
    expect(() => {
      ch.scheduleAll = 'x' as never;
    }).toThrow(
      new TypeError('Channel#1.scheduleAll takes a boolean or an integer, not the string "x": preference must be set to a bool or integer'),
    );
    expect(ch.scheduleAll).toBe(true);
  });

  it('N1: messages say what went wrong in plain words first, then the original text', () => {
    const s = createStackless(native);
    const t = s.tasklet(function* () {}).setup();
    s.switchTrap(1);
    expect(() => sync(s.schedule())).toThrow(
      new StacklessError('schedule() cannot switch to another tasklet while the switch trap is set (switch_trap)'),
    );
    s.switchTrap(-1);
    const seen: string[] = [];
    s.setScheduleCallback(() => {
      try {
        t.remove();
      } catch (e) {
        seen.push((e as Error).message);
      }
    });
    sync(s.schedule());
    s.setScheduleCallback(null);
    expect(seen[0]).toBe(
      'Tasklet#1.remove() cannot run inside the schedule callback or the error handler: ' +
        'Recursive scheduler call due to callbacks!',
    );
    expect(() => t.setup()).toThrow(new StacklessError('Tasklet#1.setup(): the tasklet was not bound to a function'));
    const ch = s.channel();
    expect(() => sync(ch.receive())).toThrow(
      new DeadlockError(
        'Channel#1.receive() would block Tasklet#main, and nothing else can run: ' +
          'Deadlock: the last runnable tasklet cannot be blocked.',
      ),
    );
    s.main.blockTrap = true;
    expect(() => sync(ch.send(1))).toThrow(
      new StacklessError(
        'Channel#1.send() would block Tasklet#main, whose blockTrap is set: this tasklet does not like to be blocked.',
      ),
    );
    s.main.blockTrap = false;
  });

  it('C4/C11: close sets closing; closed needs a zero balance; open clears it', () => {
    const s = createStackless(native);
    const ch = s.channel();
    s.tasklet(function* () {
      yield* ch.send('x');
    }).setup();
    sync(s.schedule());
    ch.close();
    expect([ch.closing, ch.closed, ch.balance]).toEqual([true, false, 1]);
    expect(sync(ch.receive())).toBe('x'); // a blocked sender still meets a partner
    expect([ch.closing, ch.closed]).toEqual([true, true]);
    expect(() => sync(ch.receive())).toThrow(
      new ChannelClosedError(
        'Channel#1.receive() would block on a closing channel: Send/receive operation on a closed channel',
      ),
    );
    ch.open();
    expect([ch.closing, ch.closed]).toEqual([false, false]);
    sync(s.run());
  });

  it('C7/C9: sendException and sendSequence argument errors', () => {
    const s = createStackless(native);
    const ch = s.channel();
    expect(() => (ch.sendException as any)()).toThrow('send_exception() takes at least 1 argument');
    expect(() => ch.sendException('E' as never)).toThrow(
      'channel.send_exception needs Exception or string subclass as first parameter',
    );
    expect(() => ch.sendSequence(5 as never)).toThrow(TypeError);
    expect(ch.balance).toBe(0);
  });

  it('C12: main alone: a receive throws DeadlockError "Deadlock: the last runnable tasklet cannot be blocked."', () => {
    const s = createStackless(native);
    const ch = s.channel();
    s.main.tempval = 'm';
    expect(() => sync(ch.receive())).toThrow('Deadlock: the last runnable tasklet cannot be blocked.');
    expect([ch.balance, s.main.tempval, s.runcount]).toEqual([0, 'm', 1]);
    expect(sync(s.scheduleRemove('r'))).toBe('r'); // main alone with no run() pending stays runnable
    expect(s.main.scheduled).toBe(true);
  });
});

describe('callbacks (S16)', () => {
  it('S16: setters return the previous callback or null; getters give the current one; bad values throw', () => {
    const s = createStackless(native);
    const f = () => {};
    const g = () => {};
    expect(s.setScheduleCallback(f)).toBe(null);
    expect(s.getScheduleCallback()).toBe(f);
    expect(s.setScheduleCallback(g)).toBe(f);
    expect(s.setScheduleCallback(undefined)).toBe(g);
    expect(s.getScheduleCallback()).toBe(null);
    expect(s.setChannelCallback(f)).toBe(null);
    expect(s.getChannelCallback()).toBe(f);
    expect(s.setChannelCallback(null)).toBe(f);
    expect(s.setErrorHandler(f)).toBe(null);
    expect(s.getErrorHandler()).toBe(f);
    expect(s.setErrorHandler(null)).toBe(f);
    expect(() => s.setScheduleCallback(1 as never)).toThrow(new TypeError('schedule callback must be callable'));
    expect(() => s.setChannelCallback({} as never)).toThrow(new TypeError('channel callback must be callable'));
    expect(() => s.setErrorHandler('h' as never)).toThrow(new TypeError('error handler must be callable'));
    expect([s.getScheduleCallback(), s.getChannelCallback(), s.getErrorHandler()]).toEqual([null, null, null]);
  });
});

describe('errors that are not StacklessErrors', () => {
  it('H1: running an op twice throws GreenletError; the error classes are distinct', () => {
    const s = createStackless(native);
    const op = s.schedule();
    sync(op);
    expect(() => sync(op)).toThrow(GreenletError);
    expect(new StacklessError('x')).not.toBeInstanceOf(GreenletError);
  });
});

describe('the README examples', () => {
  it('the printer and the sequence: run() gives null once the printer is the only one left, blocked', () => {
    const s = createStackless(native);
    const ch = s.channel<string>();
    const printed: string[] = [];
    const printer = s.tasklet(function* (name: string) {
      for (;;) {
        const line = yield* ch.receive();
        printed.push(`${name} got ${line}`);
      }
    }).setup('printer');
    s.tasklet(function* () {
      yield* ch.sendSequence(['a', 'b', 'c']);
    }).setup();
    expect(sync(s.run())).toBe(null);
    expect(printed).toEqual(['printer got a', 'printer got b', 'printer got c']);
    expect(printer.blocked).toBe(true);
    sync(printer.kill());
  });

  it('the worker killed at its schedule() ends silently', () => {
    const sl = createStackless(native);
    const worker = sl.tasklet(function* () {
      try {
        for (;;) yield* sl.schedule();
      } catch (e) {
        if (!(e instanceof TaskletExit)) throw e;
      }
    }).setup();
    sync(sl.schedule());
    sync(worker.kill());
    expect(worker.alive).toBe(false);
    expect(sl.runcount).toBe(1);
  });
});
