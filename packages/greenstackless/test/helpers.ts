/** What the package's tests import: the public API only. */
export { createStackless, StacklessError, TaskletExit, DeadlockError, ChannelClosedError } from 'greenstackless';
export type { Stackless, Tasklet as TaskletType, Channel as ChannelType } from 'greenstackless';
