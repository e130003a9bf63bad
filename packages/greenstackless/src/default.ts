/**
 * The default instance, `createStackless(native)`, made when the package loads, and its members bound to it
 * (API.md).
 */
import { native } from '@greenstackless/greenlet';
import { createStackless } from './instance.js';
import type { Channel as ChannelT, Stackless, Tasklet as TaskletT } from './types.js';

/**
 * The default instance on native greenlets.
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

export const Tasklet = stackless.Tasklet;
export type Tasklet<R = unknown> = TaskletT<R>;
export const Channel = stackless.Channel;
export type Channel<T = unknown> = ChannelT<T>;
export const tasklet = stackless.tasklet.bind(stackless) as Stackless['tasklet'];
export const channel = stackless.channel.bind(stackless) as Stackless['channel'];
export const getcurrent = stackless.getcurrent.bind(stackless);
export const getmain = stackless.getmain.bind(stackless);
export const getruncount = stackless.getruncount.bind(stackless);
export const schedule = stackless.schedule.bind(stackless) as Stackless['schedule'];
export const scheduleRemove = stackless.scheduleRemove.bind(stackless) as Stackless['scheduleRemove'];
export const run = stackless.run.bind(stackless);
export const tick = stackless.tick.bind(stackless);
export const atomic = stackless.atomic.bind(stackless) as Stackless['atomic'];
export const switchTrap = stackless.switchTrap.bind(stackless);
export const setScheduleCallback = stackless.setScheduleCallback.bind(stackless);
export const getScheduleCallback = stackless.getScheduleCallback.bind(stackless);
export const setChannelCallback = stackless.setChannelCallback.bind(stackless);
export const getChannelCallback = stackless.getChannelCallback.bind(stackless);
export const setErrorHandler = stackless.setErrorHandler.bind(stackless);
export const getErrorHandler = stackless.getErrorHandler.bind(stackless);
