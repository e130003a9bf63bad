/**
 * The pumps (I5) and error routing (I7) of one hub: how tasklets woken by event-loop callbacks get to run.
 *
 * Invariants:
 * - A pump is one loop of `sync(stackless.run())` made by main from an event-loop callback (or a microtask). It
 *   runs only where main is current and no pump is running; it loops until nothing but main is runnable.
 * - At most one pump of each kind is pending: `microPending` (a resolved promise's `then`) and `immediatePending`
 *   (one `setImmediate` per event-loop turn). A wake during a pump only inserts the tasklet: the running `run()`
 *   reaches it.
 * - `nextTurn` holds the `sleep(0)` waits of this turn; the immediate pump decides them all before it runs, so one
 *   `setImmediate` wakes every sleeper of a turn. Waits added during that pump go to the next turn.
 * - User code never runs inside the callback that wakes a tasklet: a wake inserts and requests, it never pumps.
 */
import { sync } from '@greenstackless/greenlet';
import type { Stackless, Tasklet } from 'greenstackless';
import type { Hub, HubOptions } from './types.js';

/** Which pump a wake asks for. */
export const MICROTASK = 0;
export const IMMEDIATE = 1;

/** A `sleep(0)` wait parked until the next event-loop turn. */
export interface TurnWaiter {
  turnPassed(): void;
}

/** A link of the hub's list of waits, oldest first (I10); the waits are wait.ts' ops. */
export interface WaitLink {
  prevWait: WaitLink | null;
  nextWait: WaitLink | null;
}

/** What the hub's task registry does around pumps (tasks.ts). */
export interface PumpClient {
  /** An error came out of a pump's run(): true if it belongs to a hub tasklet (which then settles with it). */
  claimError(error: unknown): boolean;
  /** A pump has ended. */
  pumpEnded(): void;
}

/** Something that waits for the end of the running pump (a corked Conn). */
export interface PumpEndListener {
  atPumpEnd(): void;
}

const RESOLVED = Promise.resolve();

export class HubCore {
  readonly stackless: Stackless;
  /** 0 auto, 1 microtask for every wake, 2 immediate for every wake. */
  readonly mode: number;
  readonly onError: ((error: unknown, tasklet: Tasklet | null) => void) | undefined;
  pumping = false;
  /** True while the immediate pump decides the turn's sleepers: the pump that follows will run them. */
  passing = false;
  microPending = false;
  immediatePending = false;
  /**
   * performance.now() at the first wait of this event-loop turn, or -1: the start time of the turn's waits (I10).
   * Read once per turn, not per wait (a read is a sizable part of an `await`, docs/io-hub.md); the immediate
   * pump, which every turn with a read has, forgets it when it ends, and so does `spawn` (code that reads the clock and then
   * starts tasklets sees their waits begin after its read).
   */
  clock = -1;
  /** True while the immediate callback runs: a clock read then is forgotten at its end. */
  private inTurnPump = false;
  /** Counts pumps, so that a deadlock report is not repeated without progress in between (I14). */
  pumps = 0;
  nextTurn: TurnWaiter[] = [];
  /** The list of the turn before, emptied: the two swap, so a turn of many sleepers grows no new list. */
  private spareTurn: TurnWaiter[] = [];
  /** The waits in progress, oldest first (I10). */
  waitHead: WaitLink | null = null;
  waitTail: WaitLink | null = null;
  client: PumpClient | null = null;
  /** The hub of this core (set by hub.ts once it is made). */
  hub: Hub | null = null;
  /** What to tell once when the running pump ends (a Conn's uncork, I6). */
  private atEnd: PumpEndListener[] = [];
  // Bound once: the pumps' callbacks take no closure per request.
  private readonly microCallback: () => void;
  private readonly immediateCallback: () => void;

  constructor(stackless: Stackless, options: HubOptions | undefined) {
    this.stackless = stackless;
    const pump = options?.pump ?? 'auto';
    if (pump !== 'auto' && pump !== 'microtask' && pump !== 'immediate') {
      throw new TypeError(`hub option pump must be 'auto', 'microtask' or 'immediate', not ${String(pump)}`);
    }
    this.mode = pump === 'auto' ? 0 : pump === 'microtask' ? 1 : 2;
    const onError = options?.onError;
    if (onError !== undefined && typeof onError !== 'function') {
      throw new TypeError('hub option onError must be a function');
    }
    this.onError = onError;
    this.microCallback = () => {
      this.microPending = false;
      this.pump();
    };
    this.immediateCallback = () => {
      this.immediatePending = false;
      this.inTurnPump = true;
      try {
        this.passing = true;
        try {
          this.passTurn();
        } finally {
          this.passing = false;
        }
        // In microtask mode the turn's wakes still pump in a microtask, as every wake does.
        if (this.mode === 1) this.request(MICROTASK);
        else this.pump();
      } finally {
        this.inTurnPump = false;
        this.clock = -1;
      }
    };
  }

  /** Asks for a pump of `kind` (the hub option may force one kind). A wake during a pump needs none. */
  request(kind: number): void {
    if (this.pumping || this.passing) return;
    const mode = this.mode;
    if (mode === 1 || (mode === 0 && kind === MICROTASK)) {
      if (!this.microPending) {
        this.microPending = true;
        void RESOLVED.then(this.microCallback);
      }
    } else {
      this.requestTurn();
    }
  }

  /** The clock of this turn's waits (I10): read at the first, then kept until the turn's immediate pump ends. */
  readClock(): number {
    const now = performance.now();
    this.clock = now;
    // Outside the immediate pump, make sure one comes this turn to forget the clock.
    if (!this.inTurnPump) this.requestTurn();
    return now;
  }

  /** Parks a `sleep(0)` until the next event-loop turn. */
  parkForTurn(waiter: TurnWaiter): void {
    this.nextTurn.push(waiter);
    this.requestTurn();
  }

  /** A `setImmediate` pump: also when one is running, since its turn has passed and the next must come. */
  private requestTurn(): void {
    if (!this.immediatePending) {
      this.immediatePending = true;
      setImmediate(this.immediateCallback);
    }
  }

  /** Decides the sleepers of the turn that has passed. */
  private passTurn(): void {
    const waiters = this.nextTurn;
    if (waiters.length === 0) return;
    this.nextTurn = this.spareTurn;
    try {
      for (let i = 0; i < waiters.length; i++) waiters[i]!.turnPassed();
    } finally {
      waiters.length = 0;
      this.spareTurn = waiters;
    }
  }

  /** Calls `x.atPumpEnd()` once when the running pump ends (or at once when none is running). */
  deferToPumpEnd(x: PumpEndListener): void {
    if (this.pumping) this.atEnd.push(x);
    else x.atPumpEnd();
  }

  /** The pump: runs every runnable tasklet until all wait, block or end (I5), routing escaped errors (I7). */
  pump(): void {
    const s = this.stackless;
    if (this.pumping || s.current !== s.main) return;
    this.pumping = true;
    this.pumps++;
    try {
      do {
        try {
          sync(s.run());
        } catch (error) {
          this.escaped(error);
        }
      } while (s.runcount > 1);
    } finally {
      this.pumping = false;
      if (this.atEnd.length !== 0) this.runAtEnd();
      if (this.client !== null) this.client.pumpEnded();
    }
  }

  private runAtEnd(): void {
    const fns = this.atEnd;
    this.atEnd = [];
    for (let i = 0; i < fns.length; i++) {
      try {
        fns[i]!.atPumpEnd();
      } catch (error) {
        this.escaped(error);
      }
    }
  }

  /** I7: an error that escaped a tasklet goes to its task, or to `onError`, or is rethrown on a later tick. */
  escaped(error: unknown): void {
    if (this.client !== null && this.client.claimError(error)) return;
    this.report(error, null);
  }

  /** Gives an error that no op can throw to `onError`, or rethrows it on a later tick (I7). */
  report(error: unknown, tasklet: Tasklet | null): void {
    const onError = this.onError;
    if (onError !== undefined) {
      try {
        onError(error, tasklet);
        return;
      } catch (inHandler) {
        error = inHandler;
      }
    }
    queueMicrotask(() => {
      throw error;
    });
  }
}
