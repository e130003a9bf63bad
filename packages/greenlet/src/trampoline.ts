/**
 * The trampoline: one loop that resumes greenlet frames and performs native ops, and `sync`, which runs it.
 *
 * Invariants:
 * - Nothing here recurses: a switch, a start, a death, a parent walk or a nested frame is one more turn of the
 *   loop (H10). Only a `sync` call, which runs its own loop, takes JavaScript stack, and syncs nest LIFO (H6).
 * - The loop's registers (`action`, `mode`, `value`, `startFn`, `startArgs`) say what to do next with the
 *   current greenlet `rt.current`: RESUME its innermost frame with next(value)/throw(value), START it by calling
 *   startFn, or finish it as DEAD by delivering value up its parent chain. User code called by the loop may run an
 *   inner loop, which clobbers the registers; so after every call into user code they are set anew. A plain
 *   switch from one suspended greenlet to another (the fast path) leaves them alone: `drive` resumes the target at
 *   once and keeps what it needs in locals.
 * - A greenlet whose syncLevel is 0 is in no sync, so its innermost frame is never a sync's BOUNDARY.
 * - A frame's kind is decided when it is pushed and kept beside it (greenlet.ts): a GENERATOR_FRAME is resumed
 *   by the generator builtins, any other frame by its own `next`/`throw`, read at each resume.
 * - A nested `sync` starts only with enough JavaScript stack left for the loop and the layers above it (a probe,
 *   STACK_PROBE_FRAMES): a stack overflow is a RangeError out of that `sync`, never one in the middle of a step.
 * - Nothing here touches a user value in a way that can throw (a revoked Proxy): values.ts, `isNativeOp`, `isOp`.
 * - A delivery that reaches the BOUNDARY of a `sync` returns from it. It is always the innermost sync's
 *   boundary: a transfer to a greenlet suspended in an outer sync is refused before anything changes (H6, H7).
 */
import * as bodies from './bodies.js';
import { GreenletError, GreenletExit } from './errors.js';
import * as greenlets from './greenlet.js';
import type { Frame, Greenlet } from './greenlet.js';
import * as opcodes from './opcodes.js';
import * as ops from './ops.js';
import * as runtime from './runtime.js';
import { callTracer, takeTracerError } from './trace.js';
import { Op, OP_BRAND } from './types.js';
import * as values from './values.js';

// Own constants, not imported bindings, in the loop (docs/v8.md#imported-bindings).
const { isThenable, thenableBodyError } = bodies;
const { BOUNDARY, BOUNDARY_FRAME, DEAD, GENERATOR_FRAME, ITERATOR_FRAME, NO_FRAME, STARTED, UNSTARTED } = greenlets;
const { alreadyRun, countRun, forgottenAtStart, forgottenError, forgottenInMain, NativeOp, takeForgottenAtEnd } = ops;
const { DONE, FRESH, SUSPENDED, SWITCH_MANY, SWITCH_ONE, THROW, UNWIND } = opcodes;
type NativeOp = ops.NativeOp;
const { describeValue, isInstance } = values;
const rt = runtime.rt;

const RESUME = 0;
const START = 1;
const DIE = 2;

/** Modes of a delivery: a value to give (next) or an error to throw. */
const NEXT = 0;
const RAISE = 1;

const NO_ARGS: unknown[] = [];

var action = RESUME; // var, not let: no hole check at each access (docs/v8.md#module-let)
var mode = NEXT;
var value: unknown = undefined;
var startFn: Function | undefined = undefined;
var startArgs: unknown[] = NO_ARGS;

const GeneratorPrototype = Object.getPrototypeOf(function* () {}.prototype);
// Generator frames are resumed by `builtins.next.call(frame, v)`: one direct call of the builtin, whatever the
// generator functions; read from this object, not from a const, so TurboFan folds it (docs/v8.md#generator-builtins).
const builtins: Generator = (function* () {})();
const generatorNext = builtins.next;
const generatorThrow = builtins.throw;

/**
 * True for a generator object made by calling a generator function.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function isGenerator(x: unknown): x is Generator {
  if (x === null || typeof x !== 'object') return false;
  try {
    const proto = Object.getPrototypeOf(x);
    return (proto !== null && Object.getPrototypeOf(proto) === GeneratorPrototype) ||
      Object.prototype.toString.call(x) === '[object Generator]';
  } catch {
    return false; // a revoked Proxy, or a throwing trap: no generator (values.ts)
  }
}

/**
 * True for any op of any package: it has the brand (H2). Never throws.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function isOp(x: unknown): x is Op<unknown> {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  try {
    return (x as any)[OP_BRAND] === true;
  } catch {
    return false;
  }
}

/**
 * True for a NativeOp. `instanceof`, not a load of `constructor`, which would see every layer's op
 * (docs/v8.md#instanceof). A Proxy's prototype trap may throw: then it is none (values.ts).
 */
function isNativeOp(y: unknown): y is NativeOp {
  try {
    return y instanceof NativeOp;
  } catch {
    return false;
  }
}

/** GENERATOR_FRAME for a generator that `isGenerator` accepted and whose `next` and `throw` are the builtins. */
function generatorKind(gen: Generator): number {
  try {
    return gen.next === generatorNext && gen.throw === generatorThrow ? GENERATOR_FRAME : ITERATOR_FRAME;
  } catch {
    return ITERATOR_FRAME; // a Proxy's trap threw: resumed as any iterator, it throws there again
  }
}

function pushFrame(g: Greenlet, frame: Frame, kind: number): void {
  const outer = g.frame;
  if (outer !== null) {
    // A literal, not `[]` grown by push (docs/v8.md#array-literal).
    if (g.below === null) g.below = [outer, g.frameKind];
    else g.below.push(outer, g.frameKind);
  }
  g.frame = frame;
  g.frameKind = kind;
}

function popFrame(g: Greenlet): void {
  const below = g.below;
  if (below !== null && below.length !== 0) {
    g.frameKind = below.pop() as number;
    g.frame = below.pop() as Frame;
  } else {
    g.frame = null;
    g.frameKind = NO_FRAME;
  }
}

/** The op fails in the running greenlet: nothing switches, the error comes out of the op. */
function raiseIn(error: unknown): void {
  action = RESUME;
  mode = RAISE;
  value = error;
}

/** Control arrives at `target`, started and suspended (or the caller itself): it resumes with (m, v). */
function deliver(origin: Greenlet, target: Greenlet, m: number, v: unknown): void {
  rt.current = target;
  action = RESUME;
  mode = m;
  value = v;
  if (rt.tracer !== null && callTracer(m === NEXT ? 'switch' : 'throw', origin, target)) {
    mode = RAISE;
    value = takeTracerError();
  }
}

/** `target` (unstarted, with a run) starts as run(...args) (G3). The caller has already read its run (G9). */
function start(origin: Greenlet, target: Greenlet, args: unknown[]): void {
  startFn = target.runFn;
  target.runFn = undefined;
  target.state = STARTED;
  rt.current = target;
  action = START;
  startArgs = args;
  if (rt.tracer !== null && callTracer('switch', origin, target)) {
    // G32: run is never called; the greenlet dies with the tracer's error.
    startFn = undefined;
    startArgs = NO_ARGS;
    action = DIE;
    mode = RAISE;
    value = takeTracerError();
  }
}

/** `target` (unstarted, with a run) gets an error before it started: it is dead at once (G14, G19). */
function killUnstarted(origin: Greenlet, target: Greenlet, error: unknown): void {
  target.runFn = undefined;
  target.state = STARTED;
  rt.current = target;
  action = DIE;
  mode = RAISE;
  value = error;
  if (rt.tracer !== null && callTracer('throw', origin, target)) value = takeTracerError();
}

/** True if `target` waits in a sync that is not the innermost pending one (H6). */
function refused(target: Greenlet): boolean {
  return target.syncLevel !== 0 && target.syncLevel !== rt.syncDepth;
}

function refusal(from: Greenlet, to: Greenlet): GreenletError {
  return new GreenletError(
    `cannot switch from ${from} to ${to}: ${to} is suspended in a sync() below the innermost pending one ` +
      `(called by ${rt.syncOwners[rt.syncDepth]}); hard switches nest last-in first-out (H6)`,
  );
}

function noRun(target: Greenlet): TypeError {
  return new TypeError(`cannot start ${target}: it has no run (G9)`);
}

/** The first greenlet from `g` up its parent chain that is not dead (G14, G16). Main ends every chain. */
function firstLive(g: Greenlet): Greenlet {
  while (g.state === DEAD) g = g.parentRef!;
  return g;
}

/**
 * The running greenlet `g` transfers control to `target`, the first live greenlet after the dead walk: a value
 * (m NEXT, with `args` for a start) or an error (m RAISE). G5, G9, G16, G18-G21, H6.
 */
function transfer(g: Greenlet, target: Greenlet, m: number, v: unknown, args: unknown[]): void {
  if (target === g) {
    deliver(g, g, m, v);
  } else if (target.state === UNSTARTED) {
    if (target.runFn === undefined) raiseIn(noRun(target));
    else if (m === NEXT) start(g, target, args);
    else killUnstarted(g, target, v);
  } else if (refused(target)) {
    raiseIn(refusal(g, target));
  } else {
    deliver(g, target, m, v);
  }
}

/** Performs a started native op in the running greenlet `g`. */
function perform(g: Greenlet, op: NativeOp): void {
  const kind = op.kind;
  if (kind === SWITCH_ONE) {
    transfer(g, firstLive(op.target), NEXT, op.payload, [op.payload]);
  } else if (kind === SWITCH_MANY) {
    const args = op.payload as unknown[];
    transfer(g, firstLive(op.target), NEXT, args.length === 0 ? undefined : args, args); // G4
  } else if (kind === THROW) {
    const error = op.payload;
    const target = op.target;
    if (target.state !== DEAD) transfer(g, target, RAISE, error, NO_ARGS);
    else if (isInstance(error, GreenletExit)) transfer(g, firstLive(target), NEXT, error, [error]); // G20
    else transfer(g, firstLive(target), RAISE, error, NO_ARGS);
  } else {
    // UNWIND (H7 for layers): the error goes to the innermost sync's caller; `g` stays suspended for good.
    deliver(g, rt.syncOwners[rt.syncDepth]!, RAISE, op.payload);
  }
}

/**
 * The running greenlet ended with (m, v): it is dead, and the outcome goes up its parent chain (G11-G15).
 */
function die(g: Greenlet, m: number, v: unknown): void {
  const forgotten = takeForgottenAtEnd(g);
  if (forgotten !== null) {
    v = forgottenError(forgotten, g, { cause: v });
    m = RAISE;
  }
  g.state = DEAD;
  g.frame = null;
  g.frameKind = NO_FRAME;
  g.below = null;
  g.runFn = undefined;
  let receiver = g.parentRef!;
  for (;;) {
    if (m === RAISE && isInstance(v, GreenletExit)) m = NEXT; // G13
    receiver = firstLive(receiver);
    if (receiver.state === UNSTARTED) {
      if (receiver.runFn === undefined) {
        // G14: it stays unstarted, and a TypeError goes on up from it.
        v = new TypeError(`${receiver} has no run to start with what ${rt.current} delivered (G14)`, { cause: v });
        m = RAISE;
        receiver = receiver.parentRef!;
        continue;
      }
      if (m === NEXT) {
        start(rt.current, receiver, [v]);
        return;
      }
      // G14: started with the error pending, it is dead at once, and the error goes on up from it.
      const origin = rt.current;
      receiver.runFn = undefined;
      receiver.state = DEAD;
      rt.current = receiver;
      if (rt.tracer !== null && callTracer('throw', origin, receiver)) v = takeTracerError();
      receiver = receiver.parentRef!;
      continue;
    }
    if (refused(receiver)) {
      // H7: no op can fail here; the innermost sync's caller gets the error.
      const owner = rt.syncOwners[rt.syncDepth]!;
      const error = new GreenletError(
        `${g} ended, but its ${m === NEXT ? 'result' : 'error'} cannot go to ${receiver}: ${receiver} is ` +
          `suspended in a sync() below the innermost pending one (called by ${owner}) (H7)`,
        { cause: v },
      );
      deliver(rt.current, owner, RAISE, error);
      return;
    }
    deliver(rt.current, receiver, m, v);
    return;
  }
}

/**
 * Runs the loop until a delivery reaches the boundary of the sync at `level`, then returns or throws. The loop
 * holds only the hot path (resume a frame, and a native op it yields); every other case is a call out of it.
 * A plain switch stays in the inner loop, which neither reads nor writes the registers.
 */
function drive(level: number): unknown {
  for (;;) {
    let g = rt.current;
    if (action !== RESUME) {
      if (action === START) startBody(g);
      else die(g, mode, takeValue());
      continue;
    }
    const frame = g.frame!;
    const kind = g.frameKind;
    if (kind === BOUNDARY_FRAME) {
      if (g.syncLevel !== level) throw new Error(`internal: ${g} resumed at the boundary of another sync`);
      popFrame(g);
      const v = takeValue();
      if (mode === RAISE) throw v;
      return v;
    }
    let r: IteratorResult<unknown, unknown>;
    try {
      if (kind === GENERATOR_FRAME) {
        const gen = frame as Generator;
        r = mode === NEXT ? builtins.next.call(gen, value) : builtins.throw.call(gen, value);
      } else if (mode === NEXT) r = frame.next(value);
      else if (frame.throw !== undefined) r = frame.throw(value);
      else throw value; // a hand-written iterator without throw(): the error passes through it
    } catch (error) {
      frameThrew(g, error);
      continue;
    }
    // What the frame of `g` gave. As long as it is a plain switch, the loop below resumes the target at once
    // without the registers (the state of a fast switch is in locals); any other case sets them and breaks out.
    for (;;) {
      if (r.done) {
        frameReturned(g, r.value);
        break;
      }
      const y = r.value as NativeOp; // checked next
      if (!isNativeOp(y)) {
        yieldedOther(g, y);
        break;
      }
      const state = y.state;
      y.state = DONE;
      if (state === FRESH) {
        // Through `yield op`: it starts here (H1, H8).
        countRun(y);
        const forgotten = forgottenAtStart(g);
        if (forgotten !== null) {
          raiseIn(forgotten);
          break;
        }
      } else if (state !== SUSPENDED) {
        // SUSPENDED: through yield*, it started in [Symbol.iterator](); anything else has run before (H1).
        y.state = state;
        raiseIn(alreadyRun(y));
        break;
      }
      const target = y.target;
      const targetKind = target.frameKind; // a generator or an iterator: started, and suspended if not `g`
      if (y.kind !== SWITCH_ONE || targetKind > ITERATOR_FRAME || target === g || target.syncLevel !== 0 ||
        rt.tracer !== null) {
        perform(g, y);
        break;
      }
      // The fast path: a switch to another greenlet suspended softly, with no tracer (G4, G6). Its innermost
      // frame is a generator or an op's iterator, never a sync's BOUNDARY (its syncLevel is 0).
      rt.current = target;
      g = target;
      try {
        r = targetKind === GENERATOR_FRAME ? builtins.next.call(target.frame as Generator, y.payload) :
          target.frame!.next(y.payload);
      } catch (error) {
        frameThrew(g, error);
        break;
      }
    }
  }
}

function takeValue(): unknown {
  const v = value;
  value = undefined;
  return v;
}

/** The innermost frame threw: the error goes to the frame below, or ends the greenlet. */
function frameThrew(g: Greenlet, error: unknown): void {
  popFrame(g);
  action = g.frame === null ? DIE : RESUME;
  mode = RAISE;
  value = error;
}

/** The innermost frame returned: the value goes to the frame below, or ends the greenlet. */
function frameReturned(g: Greenlet, result: unknown): void {
  popFrame(g);
  action = g.frame === null ? DIE : RESUME;
  mode = NEXT;
  value = result;
}

/** A frame yielded something that is not a native op: another layer's op, a generator, or a mistake. */
function yieldedOther(g: Greenlet, y: unknown): void {
  if (isOp(y)) {
    // An op of another package or layer runs as a nested frame (H2).
    let iterator: Frame;
    try {
      iterator = (y as any)[Symbol.iterator]();
    } catch (error) {
      raiseIn(error);
      return;
    }
    pushFrame(g, iterator, ITERATOR_FRAME);
    mode = NEXT;
    value = undefined;
  } else if (isGenerator(y)) {
    pushFrame(g, y, generatorKind(y)); // H3: a sub-coroutine call
    mode = NEXT;
    value = undefined;
  } else {
    raiseIn(new TypeError(
      `a greenlet body yielded ${describeValue(y)}; it may yield only an op (yield* op or yield op) ` +
        `or a generator object (H4)`,
    ));
  }
}

/** Calls the run of the greenlet that just started (G3, G10, H9). */
function startBody(g: Greenlet): void {
  const fn = startFn!;
  const args = startArgs;
  startFn = undefined;
  startArgs = NO_ARGS;
  let r: unknown;
  try {
    r = fn.apply(g, args);
    if (isGenerator(r)) {
      pushFrame(g, r, generatorKind(r));
    } else if (isOp(r)) {
      pushFrame(g, (r as any)[Symbol.iterator](), ITERATOR_FRAME); // H9: a plain body that returns an op runs it
    } else if (isThenable(r)) {
      action = DIE; // H9: the greenlet dies with the refusal, as with any error of its body
      mode = RAISE;
      value = thenableBodyError(String(g));
      return;
    } else {
      action = DIE;
      mode = NEXT;
      value = r;
      return;
    }
  } catch (error) {
    action = DIE;
    mode = RAISE;
    value = error;
    return;
  }
  action = RESUME;
  mode = NEXT;
  value = undefined;
}

/**
 * Runs an op, or a generator object as a nested frame, from plain code: a hard switch (H5). Returns the op's
 * result or throws its error. Other greenlets run inside this call, which returns only when control is
 * delivered back to its caller; so syncs nest last-in first-out (H6).
 *
 * @example
 * ```ts
 * import { Greenlet, sync } from '@greenstackless/greenlet';
 * const g = new Greenlet((a: number, b: number) => a + b);
 * sync(g.switch(2, 3)); // => 5
 * ```
 */
export function sync<T>(op: Op<T> | Generator<unknown, T, unknown>): T {
  let native: NativeOp | null = null;
  let frame: Frame | null = null;
  let kind = ITERATOR_FRAME;
  const g = rt.current;
  if (isNativeOp(op)) {
    if (op.state !== FRESH) throw alreadyRun(op);
    op.state = DONE; // given to sync, it counts as run even if refused (H1)
    countRun(op);
    if (rt.tracing) throw inTracer();
    const forgotten = g === rt.main ? forgottenInMain() : forgottenAtStart(g);
    if (forgotten !== null) throw forgotten;
    native = op;
  } else if (isOp(op)) {
    if (rt.tracing) throw inTracer();
    frame = (op as any)[Symbol.iterator](); // the op counts as run, also when H8 refuses it below
    if (g === rt.main) throwForgottenInMain();
  } else if (isGenerator(op)) {
    if (rt.tracing) throw inTracer();
    if (g === rt.main) throwForgottenInMain();
    frame = op;
    kind = generatorKind(op);
  } else {
    throw new TypeError(`sync() takes an op or a generator object, not ${describeValue(op)} (H5)`);
  }
  // A nested sync needs stack for the loop and the layers above it (H10 bounds both): without it, it fails here,
  // before anything changes, so that a stack overflow never tears a greenlet or a scheduler in the middle of a step.
  if (rt.syncDepth !== 0 && !stackLeft()) throw stackExhausted();
  const level = rt.syncDepth + 1;
  const outerLevel = g.syncLevel;
  const outerFrame = g.frame;
  const outerKind = g.frameKind;
  const outerDepth = g.below === null ? 0 : g.below.length;
  rt.syncDepth = level;
  rt.syncOwners[level] = g;
  g.syncLevel = level;
  pushFrame(g, BOUNDARY, BOUNDARY_FRAME);
  if (native !== null) {
    perform(g, native);
  } else {
    pushFrame(g, frame!, kind);
    action = RESUME;
    mode = NEXT;
    value = undefined;
  }
  try {
    return drive(level) as T;
  } catch (error) {
    if (rt.current !== g || g.frame !== outerFrame) {
      // Not a delivery at the boundary: the loop itself failed (a RangeError when the JavaScript stack ran out
      // inside user code the loop called). Put the caller back as it was, so that the runtime stays usable.
      rt.current = g;
      g.frame = outerFrame;
      g.frameKind = outerKind;
      if (g.below !== null) g.below.length = outerDepth;
      action = RESUME;
      mode = NEXT;
      value = undefined;
    }
    throw error;
  } finally {
    g.syncLevel = outerLevel;
    rt.syncDepth = level - 1;
    rt.syncOwners[level] = null; // not `length = level`, a runtime call (docs/v8.md#array-length)
  }
}

/**
 * The stack a nested sync makes sure of before it starts, in frames of `probe`: room for the loop's own steps and
 * for the ops, frames and schedulers of the layers of a tower that it calls (H10: bounded), without user code
 * (docs/design.md, "The native greenlet: one loop").
 */
const STACK_PROBE_FRAMES = 256;

/** True if STACK_PROBE_FRAMES frames of `probe` fit on the JavaScript stack. */
function stackLeft(): boolean {
  try {
    return probe(STACK_PROBE_FRAMES, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24) > 0;
  } catch {
    return false;
  }
}

/**
 * Recursion whose frames stay on the stack (the values are live across the call, so no frame is optimized away).
 * Many arguments a frame, so that the stack is covered in fewer calls.
 */
function probe(
  n: number, a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number,
  j: number, k: number, l: number, m: number, o: number, p: number, q: number, r: number, s: number, t: number,
  u: number, v: number, w: number, x: number, y: number,
): number {
  if (n === 0) return a + b + c + d + e + f + g + h + i + j + k + l + m + o + p + q + r + s + t + u + v + w + x + y;
  return probe(n - 1, b, c, d, e, f, g, h, i, j, k, l, m, o, p, q, r, s, t, u, v, w, x, y, a) + 1;
}

function stackExhausted(): RangeError {
  return new RangeError(
    `Maximum call stack size exceeded: sync() cannot start inside ${rt.syncDepth} pending syncs, the JavaScript ` +
      `stack is nearly full (H10: only pending syncs take stack)`,
  );
}

/** H8: main's top-level code left a native op unrun; it is reported in place of the op given to sync. */
function throwForgottenInMain(): void {
  const forgotten = forgottenInMain();
  if (forgotten !== null) throw forgotten;
}

function inTracer(): GreenletError {
  return new GreenletError(`no op may run inside the tracer: it must not switch (G33)`);
}

/**
 * For layers above native (H7): an op that throws `error` into the greenlet that called the innermost pending
 * `sync`, at its pending op, and leaves the greenlet that runs it suspended for good.
 */
export function unwind(error: unknown): Op<never> {
  return new NativeOp(UNWIND, rt.main, error) as unknown as Op<never>;
}
