/**
 * The hub's tasklets: `spawn`, `promise`, `main`, `join` (I8, I9) and the deadlock at exit (I14).
 *
 * Invariants:
 * - Every tasklet started by the hub runs `spawnedBody` (spawn) or its task as its op (`runTask`, serve); both
 *   catch whatever ends the body, so no error of a hub tasklet reaches a pump (I7): it goes to the task's promise.
 * - A task is on the live list from `spawn` until its tasklet ends; `count` is the list's length. `join()`
 *   promises resolve when it reaches 0.
 * - A task killed or thrown into before its body started never calls its body (T16): such tasks wait in
 *   `unstarted` until a pump has run, and are then settled with the error that came out of the pump (claimError)
 *   or with a `TaskletExit` (a silent kill).
 * - A `main()` task holds SIGINT and SIGTERM handlers until it settles.
 */
import { describeValue, isAsyncFunction, isGenerator, isOp, OP_BRAND, sync } from '@greenstackless/greenlet';
import type { Body, Op } from '@greenstackless/greenlet';
import { DeadlockError, TaskletExit } from 'greenstackless';
import type { Tasklet } from 'greenstackless';
import { deadlockMessage } from './errors.js';
import { MICROTASK } from './pump.js';
import type { HubCore, PumpClient } from './pump.js';
import type { StuckTasklet, Task } from './types.js';
import { thenOf } from './wait.js';
import type { WaitOp } from './wait.js';

// A task's states: those of its result (a promise's words; the op states of codes.ts are another idea).
const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

// A task's frame phases (the task is the op its tasklet runs).
export const FRAME_FRESH = 0;
export const FRAME_BODY = 1;
const FRAME_DONE = 2;

/**
 * One tasklet started by the hub, and the op its tasklet runs: a plain tasklet function returns the task
 * (`runTask`), which calls `body(...args)` on its first step, runs a generator or op it gives as a nested frame,
 * and takes whatever ends it to the registry (I8). A state machine instead of a generator per tasklet: an idle
 * connection's tasklet holds one object less, and the frame costs no generator context.
 */
export class TaskImpl<R = any> implements Task<R> {
  declare tasklet: Tasklet<R>;
  declare readonly registry: TaskRegistry;
  /** PENDING, then FULFILLED or REJECTED once the body has ended (or a deadlock rejected a `main()`). */
  declare state: number;
  declare outcome: unknown;
  /**
   * The result's promise and a `main()` task's signal handler, made when first needed: most tasks (a server's
   * connections) are never asked, and a pending promise with its two functions is most of a task's heap. A
   * failure nobody asked for makes a rejected promise at once, so that it is Node's usual unhandled rejection (I8).
   */
  declare extra: TaskExtra | null;
  declare prevTask: TaskImpl | null;
  declare nextTask: TaskImpl | null;
  /** The body and its arguments until the first step (a subclass keeps its own state here); FRAME_* of the op. */
  declare body: unknown;
  declare args: unknown;
  declare phase: number;

  constructor(registry: TaskRegistry, body: unknown, args: unknown) {
    this.tasklet = null as unknown as Tasklet<R>; // set by the registry's start() before anything reads it
    this.registry = registry;
    this.state = PENDING;
    this.outcome = undefined;
    this.extra = null;
    this.prevTask = null;
    this.nextTask = null;
    this.body = body;
    this.args = args;
    this.phase = FRAME_FRESH;
  }

  /** The body has been called (a kill before it never calls it, T16). */
  get started(): boolean {
    return this.phase !== FRAME_FRESH;
  }

  /** The SIGINT/SIGTERM handler of a `main()` task, or null. */
  get onSignal(): (() => void) | null {
    return this.extra === null ? null : this.extra.onSignal;
  }

  set onSignal(handler: (() => void) | null) {
    (this.extra ??= new TaskExtra()).onSignal = handler;
  }

  get result(): Promise<R> {
    const extra = (this.extra ??= new TaskExtra());
    let promise = extra.promise;
    if (promise === null) {
      if (this.state === FULFILLED) {
        promise = Promise.resolve(this.outcome as R);
      } else {
        promise = new Promise<R>((resolve, reject) => {
          extra.resolve = resolve as (value: unknown) => void;
          extra.reject = reject;
        });
      }
      extra.promise = promise;
    }
    return promise as Promise<R>;
  }

  /** The outcome, once. */
  settle(ok: boolean, outcome: unknown): boolean {
    if (this.state !== PENDING) return false;
    this.state = ok ? FULFILLED : REJECTED;
    this.outcome = outcome;
    const extra = this.extra;
    if (extra !== null && extra.promise !== null) {
      if (ok) extra.resolve!(outcome);
      else extra.reject!(outcome);
      extra.resolve = null;
      extra.reject = null;
    } else if (!ok) {
      (this.extra ??= new TaskExtra()).promise = Promise.reject(outcome);
    }
    return true;
  }

  // The op protocol: the frame of the task's tasklet (H9: the tasklet's plain function returns it).
  [Symbol.iterator](): this {
    return this;
  }

  next(value?: unknown): IteratorResult<unknown, undefined> {
    if (this.phase === FRAME_FRESH) return this.begin();
    return this.bodyEnded(true, value);
  }

  /** What ended the body's frame with an error (its own throw, a kill, a throw into the tasklet). */
  throw(error: unknown): IteratorResult<unknown, undefined> {
    return this.bodyEnded(false, error);
  }

  /** Calls the body (I8); a generator or an op it gives runs as a nested frame. */
  protected begin(): IteratorResult<unknown, undefined> {
    let value: unknown;
    try {
      value = callBody(this);
      if (isGenerator(value) || isOp(value)) return { done: false, value };
    } catch (error) {
      return this.bodyEnded(false, error);
    }
    return this.bodyEnded(true, value);
  }

  /** The body has ended: its outcome goes to the registry, and the frame ends (nothing escapes to a pump, I7). */
  protected bodyEnded(ok: boolean, outcome: unknown): IteratorResult<unknown, undefined> {
    if (this.phase !== FRAME_DONE) {
      this.phase = FRAME_DONE;
      this.registry.ended(this, ok, outcome);
    }
    return { done: true, value: undefined };
  }
}
(TaskImpl.prototype as any)[OP_BRAND] = true;

/**
 * Calls a task's body once (I8) and lets go of the body and its arguments. A generator object or an op that it
 * returns is the caller's to run; a thenable is refused (H9), since nothing in a tasklet awaits it.
 */
function callBody(task: TaskImpl): unknown {
  task.phase = FRAME_BODY;
  const body = task.body as Body;
  const args = task.args as unknown[];
  task.body = null;
  task.args = null;
  const value = body(...args);
  if (!isGenerator(value) && !isOp(value) && thenOf(value) !== undefined) {
    throw new TypeError(
      'a tasklet body returned a thenable: bodies are generator or plain functions, and promises are awaited ' +
        'with yield* hub.await(promise) (H9)',
    );
  }
  return value;
}

/** What few tasks need: the result's promise with its functions, a `main()` task's signal handler. */
class TaskExtra {
  promise: Promise<unknown> | null = null;
  resolve: ((value: unknown) => void) | null = null;
  reject: ((error: unknown) => void) | null = null;
  onSignal: (() => void) | null = null;
}

/** The function of every hub tasklet: it gives its task, which runs as the tasklet's op (H9). */
function runTask(task: TaskImpl): TaskImpl {
  return task;
}

/**
 * The body of a `spawn`ed tasklet's greenlet: `body(...args)` through `yield*`, so that the ops its generator
 * yields (a wait's `scheduleRemove`) come out of this generator and greenstackless runs them in its tasklet frame
 * without a frame of the trampoline per wait. A generator object per task is the price; `serve`'s connection
 * tasks, which idle, are ops instead (serve.ts).
 */
function* spawnedBody(task: TaskImpl): Generator<unknown, void, unknown> {
  let value: unknown;
  try {
    value = callBody(task);
    if (isGenerator(value) || isOp(value)) value = yield* value as Iterable<unknown>;
  } catch (error) {
    task.phase = FRAME_DONE;
    task.registry.ended(task, false, error);
    return;
  }
  task.phase = FRAME_DONE;
  task.registry.ended(task, true, value);
}

/** The body of `promise(op)`: a plain body that returns a generator object, or a claimed op, runs it (H9). */
function runOp(op: unknown): unknown {
  return op;
}

/**
 * An op claimed in the caller (H8: an op has run once its iterator has been obtained), to be driven in a tasklet:
 * `yield` runs this as an op whose iterator is the claimed one. So an op made by async code in main is never
 * reported as forgotten at main's next op while its tasklet has yet to start.
 */
class ClaimedOp {
  constructor(private readonly iterator: Iterator<unknown>) {}
  get [OP_BRAND](): true {
    return true;
  }
  [Symbol.iterator](): Iterator<unknown> {
    return this.iterator;
  }
}

/** The registries that have hub tasklets alive: one 'beforeExit' listener serves every hub (I14). */
const withTasks = new Set<TaskRegistry>();
let exitHooked = false;

function atExit(): void {
  for (const registry of [...withTasks]) registry.atExit();
}

export class TaskRegistry implements PumpClient {
  readonly core: HubCore;
  private head: TaskImpl | null = null;
  private tail: TaskImpl | null = null;
  /** Hub tasklets alive (or not yet swept after dying unstarted). */
  count = 0;
  private unstarted: TaskImpl[] = [];
  private joiners: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private mains = 0;
  /** `core.pumps` when the last deadlock was reported: no new report without a pump in between. */
  private reportedAt = -1;

  constructor(core: HubCore) {
    this.core = core;
    core.client = this;
  }

  /** I8: a tasklet running `body(...args)`, started by the next pump. */
  spawn<R>(body: Body<R>, args: unknown[]): TaskImpl<R> {
    if (typeof body !== 'function') {
      throw new TypeError(`spawn: body must be a generator function or a plain function, not ${String(body)}`);
    }
    if (isAsyncFunction(body)) {
      throw new TypeError(
        'spawn: bodies are generator or plain functions, not async functions; await promises in a tasklet with ' +
          'yield* hub.await(promise) (H9)',
      );
    }
    return this.start(new TaskImpl<R>(this, body as Body, args), spawnedBody as Body);
  }

  /**
   * Makes the tasklet of `task` running `fn(task)` (default: the task as its op), puts it on the live list and
   * asks for the pump that starts it (I8).
   */
  start<T extends TaskImpl>(task: T, fn: Body = runTask as unknown as Body): T {
    const tasklet = this.core.stackless.tasklet(null);
    task.tasklet = tasklet as Tasklet<any>;
    tasklet.bind(fn, [task]);
    tasklet.insert();
    const tail = this.tail;
    task.prevTask = tail;
    if (tail === null) this.head = task;
    else tail.nextTask = task;
    this.tail = task;
    if (this.count++ === 0) withTasks.add(this);
    this.unstarted.push(task);
    if (!exitHooked) {
      exitHooked = true;
      process.on('beforeExit', atExit);
    }
    const core = this.core;
    core.clock = -1; // its waits begin after whatever the caller has seen of the clock (I10)
    core.request(MICROTASK);
    return task;
  }

  /** I8: the bridge from async code into tasklets. */
  promise<T>(op: Op<T> | Generator<unknown, T, unknown>): Promise<T> {
    if (isOp(op)) {
      const claimed = new ClaimedOp((op as Op<T>)[Symbol.iterator]());
      return this.spawn(runOp as Body<T>, [claimed]).result;
    }
    if (!isGenerator(op)) {
      throw new TypeError(`promise: expected an op or a generator object, not ${describeValue(op)}`);
    }
    return this.spawn(runOp as Body<T>, [op]).result;
  }

  /** I9: `spawn` for a program's entry point; SIGINT and SIGTERM kill it. */
  main<R>(body: Body<R>, args: unknown[]): Promise<R> {
    const task = this.spawn(body, args);
    const result = task.result;
    const onSignal = () => this.interrupt(task);
    task.onSignal = onSignal;
    this.mains++;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return result;
  }

  /** I14: resolves once every hub tasklet has ended. */
  join(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.joiners.push({ resolve, reject });
    });
  }

  /** A signal during `main()`: a pending kill (its `finally` blocks run at the next pump, not in this callback). */
  private interrupt(task: TaskImpl): void {
    const t = task.tasklet;
    const s = this.core.stackless;
    if (!t.alive || s.current !== s.main) return;
    sync(t.kill({ pending: true }));
    this.core.request(MICROTASK);
  }

  /** The task's tasklet has ended, its body having returned (`ok`) or thrown. */
  ended(task: TaskImpl, ok: boolean, outcome: unknown): void {
    const prev = task.prevTask;
    const next = task.nextTask;
    if (prev === null) this.head = next;
    else prev.nextTask = next;
    if (next === null) this.tail = prev;
    else next.prevTask = prev;
    task.prevTask = null;
    task.nextTask = null;
    this.settle(task, ok, outcome);
    if (--this.count === 0) withTasks.delete(this);
    if (this.count === 0 && this.joiners.length !== 0) {
      const joiners = this.joiners;
      this.joiners = [];
      for (const j of joiners) j.resolve();
    }
  }

  private settle(task: TaskImpl, ok: boolean, outcome: unknown): void {
    if (!task.settle(ok, outcome)) return;
    const onSignal = task.onSignal;
    if (onSignal !== null) {
      task.onSignal = null;
      this.mains--;
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }

  /** An error out of a pump belongs to a task that died before its body started (T16, T21). */
  claimError(error: unknown): boolean {
    const unstarted = this.unstarted;
    for (let i = 0; i < unstarted.length; i++) {
      const task = unstarted[i]!;
      if (!task.started && !task.tasklet.alive) {
        unstarted.splice(i, 1);
        this.ended(task, false, error);
        return true;
      }
    }
    return false;
  }

  pumpEnded(): void {
    if (this.unstarted.length !== 0) this.sweep();
  }

  /** Forgets started tasks; settles those that died unstarted: a silent kill (T18). */
  private sweep(): void {
    const unstarted = this.unstarted;
    this.unstarted = [];
    for (const task of unstarted) {
      if (task.started) continue;
      if (task.tasklet.alive) this.unstarted.push(task);
      else this.ended(task, false, new TaskletExit());
    }
  }

  /** I14: the event loop is empty. Hub tasklets still alive can never wake: report them. */
  atExit(): void {
    const s = this.core.stackless;
    // Plain code may have inserted tasklets without asking for a pump (I13): they are runnable, not stuck.
    if (s.runcount > 1 && s.current === s.main) this.core.pump();
    this.sweep();
    if (this.count === 0 || this.reportedAt === this.core.pumps) return;
    const stuck = this.stuck();
    if (stuck.length === 0) return;
    this.reportedAt = this.core.pumps;
    const error = new DeadlockError(deadlockMessage(stuck.length)) as DeadlockError & { tasklets: StuckTasklet[] };
    error.tasklets = stuck;
    if (this.joiners.length === 0 && this.mains === 0) {
      process.emitWarning(error.message, {
        code: 'GREENSTACKLESS_DEADLOCK',
        detail: stuck.map((x) => `${String(x.tasklet)}: ${x.description}`).join('\n'),
      });
      return;
    }
    const joiners = this.joiners;
    this.joiners = [];
    for (const j of joiners) j.reject(error);
    for (let task = this.head; task !== null; task = task.nextTask) {
      if (task.onSignal !== null) this.settle(task, false, error);
    }
  }

  /** The live hub tasklets that count for a deadlock, each with what it waits on. */
  private stuck(): StuckTasklet[] {
    const waits = new Map<Tasklet, WaitOp>();
    for (let w = this.core.waitHead as WaitOp | null; w !== null; w = w.nextWait as WaitOp | null) {
      waits.set(w.tasklet!, w);
    }
    const stuck: StuckTasklet[] = [];
    for (let task = this.head; task !== null; task = task.nextTask) {
      const t = task.tasklet;
      if (!t.alive) continue;
      const w = waits.get(t);
      if (w !== undefined && w.unref) continue;
      const description = w !== undefined ? w.describe() : t.blocked ? 'blocked on a channel' : t.scheduled ? 'runnable' : 'paused';
      stuck.push({ tasklet: t, description });
    }
    return stuck;
  }
}
