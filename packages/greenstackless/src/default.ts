/**
 * The default instance, `createStackless(native)`, made when the package loads, and its members bound to it
 * (packages/greenstackless/README.md). Each bound member behaves exactly as the method of `stackless` with the same
 * name.
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as instanceModule from './instance.js';
import type { Channel as ChannelT, Stackless, Tasklet as TaskletT } from './types.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { native } = greenletModule;
const { createStackless } = instanceModule;

/**
 * The default instance on native greenlets; its main tasklet is the program's top level.
 *
 * @example
 * ```ts
 * import { stackless } from 'greenstackless';
 * import { sync } from '@greenstackless/greenlet';
 * stackless.tasklet(function* () {}).setup();
 * sync(stackless.run()); // => null: the ring ran empty
 * ```
 */
export const stackless: Stackless = createStackless(native);

/**
 * The default instance's Tasklet class (T1): `new Tasklet(fn, args)` is `new Tasklet().bind(fn, args)`.
 *
 * @example
 * ```ts
 * import { Tasklet } from 'greenstackless';
 * const t = new Tasklet(function* (x: number) { return x; }, [1]); // alive, paused
 * t.insert();
 * ```
 */
export const Tasklet = stackless.Tasklet;
export type Tasklet<R = unknown> = TaskletT<R>;

/**
 * The default instance's Channel class (C1).
 *
 * @example
 * ```ts
 * import { Channel } from 'greenstackless';
 * const ch = new Channel<number>(); // balance 0, preference -1
 * ```
 */
export const Channel = stackless.Channel;
export type Channel<T = unknown> = ChannelT<T>;

/**
 * Makes a tasklet of the default instance: `tasklet(fn, args)` is `new Tasklet(fn, args)` (T1).
 *
 * @example
 * ```ts
 * import { tasklet } from 'greenstackless';
 * tasklet(function* (name: string) { console.log(name); }).setup('worker'); // runnable
 * ```
 */
export const tasklet = stackless.tasklet.bind(stackless) as Stackless['tasklet'];

/**
 * Makes a channel of the default instance (C1).
 *
 * @example
 * ```ts
 * import { channel } from 'greenstackless';
 * const ch = channel<string>();
 * ```
 */
export const channel = stackless.channel.bind(stackless) as Stackless['channel'];

/**
 * The current tasklet of the default instance (S4).
 *
 * @example
 * ```ts
 * import { getcurrent, getmain } from 'greenstackless';
 * getcurrent() === getmain(); // => true at the top level
 * ```
 */
export const getcurrent = stackless.getcurrent.bind(stackless);

/**
 * The main tasklet of the default instance (S4).
 *
 * @example
 * ```ts
 * import { getmain } from 'greenstackless';
 * String(getmain()); // => 'Tasklet#main'
 * ```
 */
export const getmain = stackless.getmain.bind(stackless);

/**
 * The number of runnable tasklets of the default instance, the current one included (S4).
 *
 * @example
 * ```ts
 * import { getruncount } from 'greenstackless';
 * getruncount(); // => 1 at the start
 * ```
 */
export const getruncount = stackless.getruncount.bind(stackless);

/**
 * An op that lets the next runnable tasklet run; the caller stays runnable at the tail and gets `retval` (S7).
 *
 * @example
 * ```ts
 * import { tasklet, schedule } from 'greenstackless';
 * tasklet(function* () { for (;;) yield* schedule(); }).setup();
 * ```
 */
export const schedule = stackless.schedule.bind(stackless) as Stackless['schedule'];

/**
 * An op like `schedule`, with the caller paused until something inserts, runs or wakes it (S8).
 *
 * @example
 * ```ts
 * import { tasklet, scheduleRemove } from 'greenstackless';
 * tasklet(function* () { yield* scheduleRemove(); }).setup(); // pauses itself when it runs
 * ```
 */
export const scheduleRemove = stackless.scheduleRemove.bind(stackless) as Stackless['scheduleRemove'];

/**
 * An op that runs the other tasklets until the ring empties, an error escapes, or the budget is spent (S9-S11).
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { run } from 'greenstackless';
 * sync(run({ timeout: 1000 })); // => null, or the tasklet preempted after 1000 ticks
 * ```
 */
export const run = stackless.run.bind(stackless);

/**
 * An op that counts one tick towards the preempting run()'s budget (P1).
 *
 * @example
 * ```ts
 * import { tasklet, run, tick } from 'greenstackless';
 * tasklet(function* () { for (;;) yield* tick(); }).setup(); // preemptible by run({ timeout })
 * ```
 */
export const tick = stackless.tick.bind(stackless);

/**
 * An op that runs `body` with the current tasklet atomic: no preemption inside (S14, P6).
 *
 * @example
 * ```ts
 * import { tasklet, tick, atomic } from 'greenstackless';
 * tasklet(function* () { yield* atomic(function* () { yield* tick(); }); }).setup();
 * ```
 */
export const atomic = stackless.atomic.bind(stackless) as Stackless['atomic'];

/**
 * Adds `change` to the default instance's switch trap and returns the previous value (S12, S13).
 *
 * @example
 * ```ts
 * import { switchTrap, StacklessError } from 'greenstackless';
 * switchTrap(1); // from now on, any op that would switch throws StacklessError "switch_trap"
 * switchTrap(-1);
 * ```
 */
export const switchTrap = stackless.switchTrap.bind(stackless);

/**
 * Installs `cb(prev, next)`, called at every switch between tasklets (S16, S17); returns the previous one.
 *
 * @example
 * ```ts
 * import { setScheduleCallback } from 'greenstackless';
 * setScheduleCallback((prev, next) => console.log(`${prev} -> ${next}`));
 * ```
 */
export const setScheduleCallback = stackless.setScheduleCallback.bind(stackless);

/**
 * The installed schedule callback, or null (S16).
 *
 * @example
 * ```ts
 * import { getScheduleCallback } from 'greenstackless';
 * getScheduleCallback(); // => null
 * ```
 */
export const getScheduleCallback = stackless.getScheduleCallback.bind(stackless);

/**
 * Installs `cb(channel, tasklet, sending, willblock)`, called before each channel action (S16, S19).
 *
 * @example
 * ```ts
 * import { setChannelCallback } from 'greenstackless';
 * setChannelCallback((ch, t, sending, willblock) => console.log(`${t} ${sending ? 'sends on' : 'receives from'} ${ch}`));
 * ```
 */
export const setChannelCallback = stackless.setChannelCallback.bind(stackless);

/**
 * The installed channel callback, or null (S16).
 *
 * @example
 * ```ts
 * import { getChannelCallback } from 'greenstackless';
 * getChannelCallback(); // => null
 * ```
 */
export const getChannelCallback = stackless.getChannelCallback.bind(stackless);

/**
 * Installs `h(error, tasklet)`, given the errors that escape non-main tasklets (S16, S21).
 *
 * @example
 * ```ts
 * import { setErrorHandler } from 'greenstackless';
 * setErrorHandler((error, t) => console.error(`${t} failed`, error)); // returning drops the error
 * ```
 */
export const setErrorHandler = stackless.setErrorHandler.bind(stackless);

/**
 * The installed error handler, or null (S16).
 *
 * @example
 * ```ts
 * import { getErrorHandler } from 'greenstackless';
 * getErrorHandler(); // => null
 * ```
 */
export const getErrorHandler = stackless.getErrorHandler.bind(stackless);
