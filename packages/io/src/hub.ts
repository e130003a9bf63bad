/**
 * The hub (docs/io.md §1): `createHub`, `getHub`, the default `hub`, and the `Hub` object's methods, each a thin
 * face over wait.ts (the waits), subscription.ts (`on`), tasks.ts (the hub's tasklets) and pump.ts (the pumps).
 *
 * Invariants:
 * - One hub per instance (I1): registry.ts maps each instance to its hub once the hub is made.
 * - hub.ts is the package's top: it imports the socket and HTTP modules for the hub's methods, and they find a
 *   hub's state through registry.ts, never through this module.
 * - The default instance's hub is one object, `hub`, made (its core built) on first use: by any of its members,
 *   by `getHub()`, or by `createHub(stackless, options)` if that comes first.
 * - A hub adds no handle that keeps the process alive (I14): its pumps are a `then` and a `setImmediate` per
 *   turn, and its only process listeners are 'beforeExit' and, during `main()`, SIGINT and SIGTERM.
 */
import type { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describeValue, sync } from '@greenstackless/greenlet';
import type { Body, Op } from '@greenstackless/greenlet';
import { stackless as defaultStackless, StacklessError } from 'greenstackless';
import type { Stackless } from 'greenstackless';
import { MSG } from './errors.js';
import { HubCore, MICROTASK } from './pump.js';
import type { Conn, ConnOptions } from './conn.js';
import { connectOn, listenOn, type Listener } from './net.js';
import { serveOn, type ConnHandler, type ServeOptions } from './serve.js';
import { serveHttpOn, type HttpHandler, type HttpOptions } from './http/server.js';
import { defaultHub, hubOf, register, setDefaultHub, type HubState } from './registry.js';
import { EventSubscription } from './subscription.js';
import { TaskRegistry } from './tasks.js';

import type { Hub, HubOptions, Resume, Subscription, Task, WaitingEntry, WaitOptions } from './types.js';
import { awaitOp, callOp, onceOp, sleepOp, waitOp } from './wait.js';
import type { WaitOp } from './wait.js';

class HubImpl implements HubState {
  readonly stackless: Stackless;
  /** Null until the hub is made (the default hub, before first use). */
  core: HubCore | null = null;
  tasks: TaskRegistry | null = null;

  constructor(stackless: Stackless) {
    this.stackless = stackless;
  }

  /** Builds the hub's state (I1). */
  make(options: HubOptions | undefined): HubCore {
    const core = new HubCore(this.stackless, options);
    core.hub = this;
    this.tasks = new TaskRegistry(core);
    this.core = core;
    register(this);
    return core;
  }

  /** The default hub's first use: its instance is made at the top level by greenstackless itself (S1). */
  use(): HubCore {
    return this.core ?? this.make(undefined);
  }

  wait<T>(register: (resume: Resume<T>) => (() => void) | void, options?: WaitOptions): Op<T> {
    return waitOp<T>(this.core ?? this.use(), register, options);
  }

  await<T>(value: T | PromiseLike<T>, options?: WaitOptions): Op<Awaited<T>> {
    return awaitOp(this.core ?? this.use(), value, options);
  }

  call<T>(fn: (signal: AbortSignal) => PromiseLike<T> | T, options?: WaitOptions): Op<T> {
    return callOp<T>(this.core ?? this.use(), fn, options);
  }

  sleep(ms: number, options?: { unref?: boolean; signal?: AbortSignal }): Op<void> {
    return sleepOp(this.core ?? this.use(), ms, options);
  }

  once(emitter: EventEmitter | EventTarget, event: string | symbol, options?: WaitOptions): Op<unknown[]> {
    return onceOp(this.core ?? this.use(), emitter, event, options);
  }

  on<T = unknown[]>(
    emitter: EventEmitter,
    event: string | symbol,
    options?: { close?: Array<string | symbol>; highWaterMark?: number },
  ): Subscription<T> {
    return new EventSubscription<T>(this.core ?? this.use(), emitter, event, options);
  }

  spawn<R>(body: Body<R>, ...args: unknown[]): Task<R> {
    if (this.tasks === null) this.use();
    return this.tasks!.spawn(body, args);
  }

  promise<T>(op: Op<T> | Generator<unknown, T, unknown>): Promise<T> {
    if (this.tasks === null) this.use();
    return this.tasks!.promise(op);
  }

  main<R>(body: Body<R>, ...args: unknown[]): Promise<R> {
    if (this.tasks === null) this.use();
    return this.tasks!.main(body, args);
  }

  join(): Promise<void> {
    if (this.tasks === null) this.use();
    return this.tasks!.join();
  }

  waiting(): WaitingEntry[] {
    const core = this.core ?? this.use();
    const entries: WaitingEntry[] = [];
    for (let w = core.waitHead as WaitOp | null; w !== null; w = w.nextWait as WaitOp | null) {
      entries.push({ tasklet: w.tasklet!, description: w.describe(), since: w.since });
    }
    return entries;
  }

  requestPump(): void {
    (this.core ?? this.use()).request(MICROTASK);
  }

  // Sockets (docs/io.md §2) on this hub's instance.
  connect(port: number, host?: string, options?: ConnOptions & WaitOptions): Op<Conn> {
    return connectOn(this, port, host, options);
  }

  listen(port: number, host?: string, options?: ConnOptions & { backlog?: number }): Op<Listener> {
    return listenOn(this, port, host, options);
  }

  serve(where: number | net.Server | Listener, handler: ConnHandler, options?: ServeOptions): Op<Listener> {
    return serveOn(this, where, handler, options);
  }

  // HTTP (docs/io.md §3) on this hub's instance.
  serveHttp(where: number | net.Server | Listener, handler: HttpHandler, options?: HttpOptions): Op<Listener> {
    return serveHttpOn(this, where, handler, options);
  }

  toString(): string {
    return `Hub(${String(this.stackless.main)})`;
  }
}

/** The default instance's hub object; its state is made on first use (registry.ts: `defaultHub`). */
const theDefaultHub = new HubImpl(defaultStackless);
setDefaultHub(theDefaultHub);

/**
 * Makes the hub of `stackless` (default: greenstackless' instance). Call it at the top level of the program, in
 * the instance's main tasklet: event-loop callbacks run there, and the hub's pumps run the instance from them.
 *
 * @example
 * ```ts
 * import { createStackless } from 'greenstackless';
 * import { createHub } from '@greenstackless/io';
 * const mine = createHub(createStackless(), { onError: (e) => console.error('tasklet failed:', e) });
 * ```
 */
export function createHub(stackless: Stackless = defaultStackless, options?: HubOptions): Hub {
  if (stackless === null || typeof stackless !== 'object' || typeof stackless.run !== 'function' ||
    typeof stackless.scheduleRemove !== 'function') {
    throw new TypeError(`createHub: expected a Stackless instance, not ${describeValue(stackless)}`);
  }
  if (hubOf(stackless) !== undefined) throw new StacklessError(MSG.alreadyHasHub);
  if (stackless === defaultStackless) {
    theDefaultHub.make(options);
    return theDefaultHub;
  }
  checkTopLevel(stackless);
  const h = new HubImpl(stackless);
  h.make(options);
  return h;
}

/**
 * I1: the instance's main tasklet must be current and its greenlet must be the caller's (the top level, where
 * event-loop callbacks run). `main.switch()` on the current main changes nothing (T15) and fails by S3 elsewhere.
 */
function checkTopLevel(s: Stackless): void {
  const main = s.main;
  if (s.current !== main) {
    throw new StacklessError(`${MSG.notTopLevel}; the current tasklet is ${String(s.current)}`);
  }
  const tempval = main.tempval;
  try {
    sync(main.switch());
  } catch (error) {
    throw new StacklessError(MSG.notTopLevel, { cause: error });
  }
  main.tempval = tempval;
}

/**
 * The hub of `stackless` (default: greenstackless' instance), made with default options on first use.
 *
 * @example
 * ```ts
 * import { getHub, hub } from '@greenstackless/io';
 * getHub() === hub; // => true
 * ```
 */
export function getHub(stackless: Stackless = defaultStackless): Hub {
  if (stackless === defaultStackless) return defaultHub();
  return hubOf(stackless) ?? createHub(stackless);
}

/**
 * The default instance's hub (`getHub()`), made on first use.
 *
 * @example
 * ```ts
 * import { hub } from '@greenstackless/io';
 * const answer = await hub.main(function* () {
 *   yield* hub.sleep(10);
 *   return yield* hub.await(Promise.resolve(42));
 * });
 * ```
 */
export const hub: Hub = theDefaultHub;
