/**
 * The four error classes of the Stackless API (packages/greenstackless/README.md), shared by every instance, and
 * the texts of the originals' messages (docs/README.md N1, docs/python-mapping.md M4). A message that names objects
 * puts their `toString()` first: `Tasklet#3: ...`.
 */

/**
 * Thrown into a tasklet by `kill()`; uncaught, the tasklet ends silently (T18, T20).
 *
 * @example
 * ```ts
 * import { channel, tasklet, TaskletExit } from 'greenstackless';
 * const ch = channel<string>();
 * tasklet(function* () {
 *   try {
 *     yield* ch.receive();
 *   } catch (e) {
 *     if (e instanceof TaskletExit) throw e; // M9: code that catches everything rethrows kills
 *   }
 * }).setup();
 * ```
 */
export class TaskletExit extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Python's RuntimeError for misuse of the scheduler, tasklets and channels (M4).
 *
 * @example
 * ```ts
 * import { StacklessError, tasklet } from 'greenstackless';
 * try {
 *   tasklet().insert();
 * } catch (e) {
 *   e instanceof StacklessError; // => true: "Tasklet#1.insert(): You cannot run an unbound(dead) tasklet"
 * }
 * ```
 */
export class StacklessError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The deadlock family (C12, C13): nothing is left to run.
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { channel, DeadlockError } from 'greenstackless';
 * try {
 *   sync(channel().receive()); // main is the last runnable tasklet
 * } catch (e) {
 *   e instanceof DeadlockError; // => true: "Deadlock: the last runnable tasklet cannot be blocked."
 * }
 * ```
 */
export class DeadlockError extends StacklessError {}

/**
 * An action that would block on a closing channel (C5 step 5, C11).
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { ChannelClosedError, channel } from 'greenstackless';
 * const ch = channel<number>();
 * ch.close();
 * try {
 *   sync(ch.send(1));
 * } catch (e) {
 *   e instanceof ChannelClosedError; // => true: "Send/receive operation on a closed channel"
 * }
 * ```
 */
export class ChannelClosedError extends StacklessError {}

for (const cls of [TaskletExit, StacklessError, DeadlockError, ChannelClosedError]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, configurable: true, writable: true });
}

/** The originals' texts (N1). */
export const MSG = {
  blockedRun: 'You cannot run a blocked tasklet',
  deadRun: 'You cannot run an unbound(dead) tasklet',
  blockedRemove: 'You cannot remove a blocked tasklet.',
  currentRemove: 'The current tasklet cannot be removed.',
  rebindCurrent: "can't (re)bind the current tasklet",
  scheduled: 'tasklet is scheduled',
  unbindMain: "can't unbind the main tasklet",
  inRun: 'tasklet is waiting in run()',
  alive: 'tasklet is alive',
  notBound: 'the tasklet was not bound to a function',
  throwDead: 'You cannot throw to a dead tasklet',
  switchTrap: 'switch_trap',
  blockTrap: 'this tasklet does not like to be blocked.',
  closed: 'Send/receive operation on a closed channel',
  deadlock: 'Deadlock: the last runnable tasklet cannot be blocked.',
  deadlockReceiving: 'the main tasklet is receiving without a sender available.',
  deadlockSending: 'the main tasklet is sending without a receiver available.',
  recursiveScheduler: 'Recursive scheduler call due to callbacks!',
  recursiveChannel: 'Recursive channel call due to callbacks!',
  notMain: 'an instance must be created in a main greenlet',
} as const;

/** `Tasklet#3: text`: errors name the objects involved (N1). */
export function named(who: { toString(): string }, text: string): string {
  return `${String(who)}: ${text}`;
}
