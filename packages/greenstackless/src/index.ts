export { createStackless } from './instance.js';
export {
  stackless, Tasklet, Channel, tasklet, channel, getcurrent, getmain, getruncount, schedule, scheduleRemove, run,
  tick, atomic, switchTrap, setScheduleCallback, getScheduleCallback, setChannelCallback, getChannelCallback,
  setErrorHandler, getErrorHandler,
} from './default.js';
export { TaskletExit, StacklessError, DeadlockError, ChannelClosedError } from './errors.js';
export type {
  Stackless, RunOptions, ScheduleCallback, ChannelCallback,
  ErrorHandler, TaskletConstructor, ChannelConstructor,
} from './types.js';
