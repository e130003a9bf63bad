/**
 * The channel object (§5): its state and attributes. The methods that make its ops (`send`, `receive`,
 * `sendException`, `sendThrow`, `sendSequence`, iteration) are defined with the channel action in ops/channel.ts,
 * above this module, and installed on the class by instance.ts.
 *
 * Invariants (C2, C4):
 * - The wait queue (`head` .. `tail`, threaded through the blocked tasklets, ring.ts) holds only senders
 *   (`balance > 0`) or only receivers (`balance < 0`), in arrival order; `balance` is their signed number.
 * - `closed` is `closingFlag && balance === 0`; closing wakes nobody (C11).
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { WaitQueue } from './ring.js';
import type { TaskletImpl } from './tasklet.js';
import type { Channel } from './types.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { describeValue } = greenletModule;

/** What a channel reads and writes of its instance: the Scheduler (scheduler.ts) is one. */
export interface ChannelHost {
  /** The last serial number given (`Channel#2`). */
  channelSerial: number;
}

/** The methods that make ops: defined in ops/channel.ts and installed by instance.ts (see the top of the file). */
export interface ChannelImpl
  extends Pick<Channel, 'send' | 'receive' | 'sendException' | 'sendThrow' | 'sendSequence'>, Iterable<unknown> {}

/**
 * A rendezvous channel of one instance: a send blocks until a receiver takes the value, and the other way round.
 *
 * @example
 * ```ts
 * import { channel, tasklet } from 'greenstackless';
 * import { sync } from '@greenstackless/greenlet';
 * const ch = channel<number>();
 * tasklet(function* () { yield* ch.send(42); }).setup();
 * sync(ch.receive()); // => 42
 * ```
 */
export class ChannelImpl implements Channel<unknown>, WaitQueue<TaskletImpl> {
  // Fields are `declare`d and set in the constructor (docs/v8.md#hidden-classes-and-inline-caches).
  /** The instance. */
  declare readonly s: ChannelHost;
  /** Serial number within the instance (`Channel#2`). */
  declare readonly id: number;
  /** Blocked senders minus blocked receivers (C2). */
  declare balance: number;
  /** First and last blocked tasklet, or null. */
  declare head: TaskletImpl | null;
  declare tail: TaskletImpl | null;
  /** -1, 0 or 1 (C3, C6). */
  declare pref: -1 | 0 | 1;
  /** scheduleAll (C3, C6). */
  declare all: boolean;
  /** True from close() until open() (C4, C11). */
  declare closingFlag: boolean;

  constructor(s: ChannelHost) {
    this.s = s;
    this.id = ++s.channelSerial;
    this.balance = 0;
    this.head = null;
    this.tail = null;
    this.pref = -1;
    this.all = false;
    this.closingFlag = false;
  }

  /** Sets `closing`; wakes nobody (C11). */
  close(): void {
    this.closingFlag = true;
  }

  /** Clears `closing` (C11). */
  open(): void {
    this.closingFlag = false;
  }

  get queue(): TaskletImpl | null {
    return this.head;
  }

  get closing(): boolean {
    return this.closingFlag;
  }

  get closed(): boolean {
    return this.closingFlag && this.balance === 0;
  }

  get preference(): -1 | 0 | 1 {
    return this.pref;
  }

  /** C3: integers are clamped, true is 1, false is 0. */
  set preference(value: number | boolean) {
    if (typeof value === 'boolean') this.pref = value ? 1 : 0;
    else if (typeof value === 'number' && Number.isInteger(value)) this.pref = value > 0 ? 1 : value < 0 ? -1 : 0;
    else throw new TypeError(`${this}: preference must be set to an integer`);
  }

  get scheduleAll(): boolean {
    return this.all;
  }

  set scheduleAll(value: boolean | number) {
    if (typeof value === 'boolean') this.all = value;
    else if (typeof value === 'number' && Number.isInteger(value)) this.all = value !== 0;
    else {
      throw new TypeError(
        `${this}.scheduleAll takes a boolean or an integer, not ${describeValue(value)}: preference must be set to a bool ` +
          'or integer',
      );
    }
  }

  toString(): string {
    return `Channel#${this.id}`;
  }

  /** `util.inspect`: the name, the balance, and closing or closed: `Channel#1 <balance -2, closing>`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const closing = this.closingFlag ? (this.balance === 0 ? ', closed' : ', closing') : '';
    return `${this} <balance ${this.balance}${closing}>`;
  }
}
