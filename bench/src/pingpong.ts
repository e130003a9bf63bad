/**
 * The ping-pong cases that several families share: the raw generator floor, greenlet ping-pong on any greenlet
 * module (native, greenlet-fix, a tower), and channel ping-pong on any Stackless instance.
 *
 * Invariants:
 * - Every coroutine is made once, when the case is made; `run()` only resumes them. Nothing is allocated per
 *   switch by the bench itself: bodies are module-level generator functions over one state object.
 * - A greenlet case starts its `ping` greenlet with `sync(ping.switch())`; ping makes `rounds` round trips with
 *   `pong` and then switches back to the sync's caller, so each `run()` is one hard switch in and out around
 *   2 x rounds soft switches (the two hard ones are timed but not counted: about 0.1% of the time).
 * - `dispose()` kills what the case started (G17), so no suspended greenlet outlives its row.
 * - The floors below (the bare channel, the least op channel) keep none of Stackless' rules. They are not
 *   channels anyone should use: they measure what the greenlet interface and the op API cost by themselves, so
 *   that a target can be set against what is possible.
 */
import type { ChannelLike, GreenletApi, GreenletLike, GreenletModule, Op, StacklessLike, TaskletLike } from './api.js';
import type { Case } from './measure.js';

/** Every ping checks that pong echoed its value, so a ping-pong that loses or swaps messages fails its row. */
export function wrongEcho(where: string, got: unknown, want: unknown): Error {
  return new Error(`${where}: ping sent ${String(want)} and got back ${String(got)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The floor: two raw generators driven alternately by a loop.

function* rawPlayer(): Generator<number, never, number> {
  let v = 0;
  for (;;) v = yield v + 1;
}

/** The name of the floor row, which the switching and scheduling families both measure. */
export const FLOOR = 'raw generator ping-pong (floor)';

/** The floor: two raw generators resumed alternately by a plain loop; one op = one resume (one switch). */
export function rawPingPong(rounds: number): Case {
  const a = rawPlayer();
  const b = rawPlayer();
  a.next(0);
  b.next(0);
  let sink = 0;
  return {
    ops: 2 * rounds,
    run() {
      let v = sink & 1;
      for (let i = 0; i < rounds; i++) {
        v = a.next(v).value;
        v = b.next(v).value;
      }
      sink = v;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Greenlet ping-pong.

/** How ping makes its switches. */
export type SwitchForm =
  | 'yield' // `yield pong.switch(i)` in the body
  | 'yield*' // `yield* pong.switch(i)` in the body
  | 'frames' // `yield pong.switch(i)` from `depth` nested `yield child()` frames (H3)
  | 'chain'; // `yield pong.switch(i)` from `depth` nested `yield* child()` generators

/** The one object the bodies of a greenlet case share. */
interface Players {
  main: GreenletLike;
  ping: GreenletLike | null;
  pong: GreenletLike | null;
  rounds: number;
  depth: number;
}

function* pingYield(p: Players): Generator<unknown, never, unknown> {
  const pong = p.pong!;
  for (;;) {
    for (let i = 0; i < p.rounds; i++) {
      const v = yield pong.switch(i);
      if (v !== i) throw wrongEcho('greenlet ping-pong', v, i);
    }
    yield p.main.switch();
  }
}

function* pingYieldStar(p: Players): Generator<unknown, never, unknown> {
  const pong = p.pong!;
  for (;;) {
    for (let i = 0; i < p.rounds; i++) {
      const v = yield* pong.switch(i);
      if (v !== i) throw wrongEcho('greenlet ping-pong', v, i);
    }
    yield* p.main.switch();
  }
}

function* pingFrames(p: Players): Generator<unknown, never, unknown> {
  for (;;) {
    yield framesAt(p, p.depth);
    yield p.main.switch();
  }
}

/** Depth d: the switches are made d frames above the body, each pushed by the trampoline (H3). */
function* framesAt(p: Players, depth: number): Generator<unknown, void, unknown> {
  if (depth > 1) {
    yield framesAt(p, depth - 1);
    return;
  }
  const pong = p.pong!;
  for (let i = 0; i < p.rounds; i++) {
    const v = yield pong.switch(i);
    if (v !== i) throw wrongEcho('greenlet ping-pong', v, i);
  }
}

function* pingChain(p: Players): Generator<unknown, never, unknown> {
  for (;;) {
    yield* chainAt(p, p.depth);
    yield p.main.switch();
  }
}

/** Depth d: the switches are made d generators above the body, which V8 resumes level by level (yield*). */
function* chainAt(p: Players, depth: number): Generator<unknown, void, unknown> {
  if (depth > 1) {
    yield* chainAt(p, depth - 1);
    return;
  }
  const pong = p.pong!;
  for (let i = 0; i < p.rounds; i++) {
    const v = yield pong.switch(i);
    if (v !== i) throw wrongEcho('greenlet ping-pong', v, i);
  }
}

function* pongYield(p: Players, first: unknown): Generator<unknown, never, unknown> {
  const ping = p.ping!;
  let v = first;
  for (;;) v = yield ping.switch(v);
}

function* pongYieldStar(p: Players, first: unknown): Generator<unknown, never, unknown> {
  const ping = p.ping!;
  let v = first;
  for (;;) v = yield* ping.switch(v);
}

const PING_BODIES: Record<SwitchForm, (p: Players) => Generator<unknown, never, unknown>> = {
  yield: pingYield,
  'yield*': pingYieldStar,
  frames: pingFrames,
  chain: pingChain,
};

/**
 * Greenlet ping-pong on module `m`: greenlets ping and pong switch to each other `rounds` times per run; one op
 * is one switch. Pong answers in the same form as ping for 'yield*', and with `yield` otherwise.
 */
export function greenletPingPong(g: GreenletApi, m: GreenletModule, form: SwitchForm, rounds: number, depth = 1): Case {
  const p: Players = { main: m.getcurrent(), ping: null, pong: null, rounds, depth };
  p.ping = new m.Greenlet(PING_BODIES[form].bind(null, p));
  p.pong = new m.Greenlet((form === 'yield*' ? pongYieldStar : pongYield).bind(null, p));
  const sync = g.sync;
  return {
    ops: 2 * rounds,
    run() {
      sync(p.ping!.switch());
    },
    dispose() {
      sync(p.ping!.throw());
      sync(p.pong!.throw());
    },
  };
}

function* echo(p: Players, first: unknown): Generator<unknown, never, unknown> {
  let v = first;
  for (;;) v = yield p.main.switch(v);
}

/** `sync` from plain code: each `sync(g.switch(i))` is a hard switch in and out; one op is one switch. */
export function syncPingPong(g: GreenletApi, m: GreenletModule, rounds: number): Case {
  const p: Players = { main: m.getcurrent(), ping: null, pong: null, rounds, depth: 0 };
  const ping = new m.Greenlet(echo.bind(null, p));
  p.ping = ping;
  const sync = g.sync;
  return {
    ops: 2 * rounds,
    run() {
      for (let i = 0; i < rounds; i++) {
        const v = sync(ping.switch(i));
        if (v !== i) throw wrongEcho('sync ping-pong', v, i);
      }
    },
    dispose() {
      sync(ping.throw());
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Channel ping-pong.

function* pingTasklet(ch: ChannelLike, rounds: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < rounds; i++) {
    yield ch.send(i);
    const v = yield ch.receive();
    if (v !== i) throw wrongEcho('channel ping-pong', v, i);
  }
}

function* pongTasklet(ch: ChannelLike): Generator<unknown, never, unknown> {
  for (;;) {
    const v = yield ch.receive();
    yield ch.send(v);
  }
}

export interface ChannelSettings {
  preference?: -1 | 0 | 1;
  scheduleAll?: boolean;
}

/**
 * Channel ping-pong on instance `st`: tasklets ping and pong send each other a value back and forth `rounds`
 * times over one channel while main waits in `run()`; one op is one message (a send met by a receive). Each run
 * makes one new ping tasklet (amortized over 2 x rounds messages); pong stays blocked on the channel between
 * runs.
 */
export function channelPingPong(g: GreenletApi, st: StacklessLike, rounds: number, settings: ChannelSettings = {}): Case {
  const ch = st.channel();
  if (settings.preference !== undefined) ch.preference = settings.preference;
  if (settings.scheduleAll !== undefined) ch.scheduleAll = settings.scheduleAll;
  const pong: TaskletLike = st.tasklet(pongTasklet).setup(ch);
  const sync = g.sync;
  return {
    ops: 2 * rounds,
    run() {
      st.tasklet(pingTasklet).setup(ch, rounds);
      sync(st.run());
      if (ch.balance !== -1) throw new Error(`channel ping-pong ended with balance ${ch.balance}, expected -1 (pong waiting)`);
    },
    dispose() {
      sync(pong.kill());
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The two floors of a channel: over native greenlets, and under the op API.

/**
 * Two greenlets and one rendezvous channel with none of Stackless' rules: no deferred commit (S5), no callbacks,
 * no forgotten-op check of its own, no watchdog, no tempval, no run queue beyond "the other one". Both floors run
 * on it: the bare channel calls `bareSend`/`bareReceive` from its bodies; the least op channel's bodies yield the
 * ops that `send()`/`receive()` make, and its frames call the same two functions.
 */
class Slot {
  readonly main: GreenletLike;
  ping: GreenletLike | null = null;
  pong: GreenletLike | null = null;
  readonly rounds: number;
  /** The greenlet blocked on the channel, or null; `sending` says in which direction. */
  blocked: GreenletLike | null = null;
  sending = false;
  /** The value of a blocked sender; a receive that finds it takes it from here. */
  box: unknown = undefined;

  constructor(main: GreenletLike, rounds: number) {
    this.main = main;
    this.rounds = rounds;
  }

  /** The least op channel's send: a fresh op, as every action of a channel with the op API is (H1). */
  send(value: unknown): SlotOp {
    return new SlotOp(this, true, value);
  }

  receive(): SlotOp {
    return new SlotOp(this, false, undefined);
  }
}

/**
 * A send by `me`: always a switch, to a blocked receiver with the value (it runs at once, Stackless' default
 * preference -1), or away from `me`, which blocks with the value in `box`.
 */
function bareSend(b: Slot, me: GreenletLike, other: GreenletLike, value: unknown): Op<unknown> {
  const blocked = b.blocked;
  if (blocked !== null && !b.sending) {
    b.blocked = null;
    return blocked.switch(value);
  }
  b.blocked = me;
  b.sending = true;
  b.box = value;
  return other.switch();
}

/** A receive by `me`: null if a blocked sender gave its value at once (it is in `box`), else the blocking switch. */
function bareReceive(b: Slot, me: GreenletLike, other: GreenletLike): Op<unknown> | null {
  const blocked = b.blocked;
  if (blocked !== null && b.sending) {
    b.blocked = null;
    return null;
  }
  b.blocked = me;
  b.sending = false;
  return other.switch();
}

function* barePing(b: Slot): Generator<unknown, never, unknown> {
  const me = b.ping!;
  const other = b.pong!;
  for (;;) {
    for (let i = 0; i < b.rounds; i++) {
      yield bareSend(b, me, other, i);
      const receive = bareReceive(b, me, other);
      const v = receive === null ? b.box : yield receive;
      if (v !== i) throw wrongEcho('bare channel ping-pong', v, i);
    }
    yield b.main.switch();
  }
}

function* barePong(b: Slot): Generator<unknown, never, unknown> {
  const me = b.pong!;
  const other = b.ping!;
  for (;;) {
    const receive = bareReceive(b, me, other);
    const v = receive === null ? b.box : yield receive;
    yield bareSend(b, me, other, v);
  }
}

/** The op protocol's brand (docs/switching.md, H2): an object whose brand is true is an op. */
const OP_BRAND = Symbol.for('@greenstackless/op');

/** One send or receive of the least op channel, made fresh by `slot.send(v)` or `slot.receive()`. */
class SlotOp {
  readonly slot: Slot;
  readonly sending: boolean;
  readonly value: unknown;

  constructor(slot: Slot, sending: boolean, value: unknown) {
    this.slot = slot;
    this.sending = sending;
    this.value = value;
  }
}

/**
 * The one frame of a greenlet of the least op channel, as a tasklet's frame is in greenstackless: it drives the
 * body, runs each SlotOp the body yields inside itself, resumes the body at once when the op completes, and gives
 * the trampoline a switch only when the op switches.
 */
class LeastFrame {
  readonly me: GreenletLike;
  readonly other: GreenletLike;
  readonly body: Generator<unknown, unknown, unknown>;

  constructor(me: GreenletLike, other: GreenletLike, body: Generator<unknown, unknown, unknown>) {
    this.me = me;
    this.other = other;
    this.body = body;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(value: unknown): IteratorResult<unknown, unknown> {
    let v = value;
    for (;;) {
      const r = this.body.next(v);
      if (r.done) return r;
      const op = r.value;
      if (!(op instanceof SlotOp)) return r; // main.switch() at the end of a run
      const slot = op.slot;
      if (op.sending) return { value: bareSend(slot, this.me, this.other, op.value), done: false };
      const receive = bareReceive(slot, this.me, this.other);
      if (receive !== null) return { value: receive, done: false };
      v = slot.box;
    }
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    return this.body.throw(error);
  }
}
(LeastFrame.prototype as any)[OP_BRAND] = true;

function* leastPing(ch: Slot): Generator<unknown, never, unknown> {
  for (;;) {
    for (let i = 0; i < ch.rounds; i++) {
      yield ch.send(i);
      const v = yield ch.receive();
      if (v !== i) throw wrongEcho('least op channel ping-pong', v, i);
    }
    yield ch.main.switch();
  }
}

function* leastPong(ch: Slot): Generator<unknown, never, unknown> {
  for (;;) {
    const v = yield ch.receive();
    yield ch.send(v);
  }
}

/** The run of ping's greenlet: its frame, given back as an op that the module runs as the greenlet's frame. */
function startLeastPing(ch: Slot): LeastFrame {
  return new LeastFrame(ch.ping!, ch.pong!, leastPing(ch));
}

function startLeastPong(ch: Slot): LeastFrame {
  return new LeastFrame(ch.pong!, ch.ping!, leastPong(ch));
}

/** A ping-pong of two greenlets of module `m` over one Slot, whose runs are `runPing` and `runPong`. */
function slotPingPong(
  g: GreenletApi, m: GreenletModule, rounds: number, what: string,
  runPing: (b: Slot) => unknown, runPong: (b: Slot) => unknown,
): Case {
  const b = new Slot(m.getcurrent(), rounds);
  b.ping = new m.Greenlet(runPing.bind(null, b));
  b.pong = new m.Greenlet(runPong.bind(null, b));
  const sync = g.sync;
  return {
    ops: 2 * rounds,
    run() {
      sync(b.ping!.switch());
      if (b.blocked !== null) throw new Error(`${what} ended with a greenlet still blocked on the channel`);
    },
    dispose() {
      sync(b.ping!.throw());
      sync(b.pong!.throw());
    },
  };
}

/**
 * Bare channel ping-pong on module `m`: one op is one message. As in the tasklet ping-pong, each message is one
 * blocking send (a switch) and one receive that finds the sender blocked (no switch). What any channel written on
 * the greenlet interface must pay at least per message.
 */
export function bareChannelPingPong(g: GreenletApi, m: GreenletModule, rounds: number): Case {
  return slotPingPong(g, m, rounds, 'bare channel ping-pong', barePing, barePong);
}

/**
 * The least channel under the op API on module `m`: one op is one message. The bodies are written as a
 * greenstackless channel ping-pong is (`yield ch.send(i)`, `yield ch.receive()`), so each action is a fresh op
 * object that the body yields and its frame runs, as the API asks of any channel; the channel itself is the bare
 * one, with no tempval, run queue, plan, arrival or check.
 */
export function leastOpChannelPingPong(g: GreenletApi, m: GreenletModule, rounds: number): Case {
  return slotPingPong(g, m, rounds, 'least op channel ping-pong', startLeastPing, startLeastPong);
}

// ---------------------------------------------------------------------------------------------------------------
// Tasklet switch ping-pong.

interface Switchers {
  a: TaskletLike | null;
  b: TaskletLike | null;
  rounds: number;
}

function* switchPing(p: Switchers): Generator<unknown, void, unknown> {
  const b = p.b!;
  for (let i = 0; i < p.rounds; i++) yield b.switch();
}

function* switchPong(p: Switchers): Generator<unknown, never, unknown> {
  for (;;) yield p.a!.switch();
}

/**
 * `t.switch()` ping-pong on instance `st` (T15): tasklets a and b switch to each other `rounds` times per run
 * while main waits in `run()`; one op is one switch. This is the transfer greenlet-fix makes for every greenlet
 * switch (F3). Each run makes one new `a` (amortized over 2 x rounds switches); `b` stays paused between runs.
 */
export function taskletSwitchPingPong(g: GreenletApi, st: StacklessLike, rounds: number): Case {
  const p: Switchers = { a: null, b: null, rounds };
  const b = st.tasklet(switchPong).setup(p).remove();
  p.b = b;
  const sync = g.sync;
  return {
    ops: 2 * rounds,
    run() {
      p.a = st.tasklet(switchPing).setup(p);
      sync(st.run());
      if (st.runcount !== 1) throw new Error(`tasklet switch ping-pong ended with ${st.runcount} tasklets runnable, expected 1`);
    },
    dispose() {
      sync(b.kill());
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The floor of greenlet-fix: the least greenlet layer on the least tasklet layer, both under the op API.

/** A tasklet of the least layer: a native greenlet and nothing else. */
class LeastTasklet {
  g: GreenletLike | null = null;

  /** A fresh op for each switch, as the op API asks of every layer (H1). */
  switch(): LeastTaskletSwitch {
    return new LeastTaskletSwitch(this);
  }
}

/**
 * `t.switch()` of the least tasklet layer: its first step gives the native switch to t's greenlet, its second
 * (when the caller is switched back to) completes it with the value it was resumed with. Like greenstackless'
 * ops, it is its own iterator result, and its native switch has one argument (the tasklet, as greenstackless
 * passes it), which keeps the trampoline on its fast path.
 */
class LeastTaskletSwitch {
  readonly t: LeastTasklet;
  done = false;
  value: unknown = undefined;

  constructor(t: LeastTasklet) {
    this.t = t;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(value: unknown): IteratorResult<unknown, unknown> {
    if (this.value === undefined) {
      // The first step (a native switch op is never undefined).
      const t = this.t;
      this.value = t.g!.switch(t);
      return this;
    }
    this.done = true;
    this.value = value;
    return this;
  }
}

/** A greenlet of the least greenlet layer: one least tasklet, and the box its deliveries are written into. */
class LeastGreenlet {
  readonly t = new LeastTasklet();
  box: unknown = undefined;

  /** A fresh op for each switch, made as native greenlets make theirs (no array for one argument). */
  switch(...args: unknown[]): LeastGreenletSwitch {
    return new LeastGreenletSwitch(this, args.length === 1 ? args[0] : args.length === 0 ? undefined : args);
  }
}

/**
 * `g.switch(v)` of the least greenlet layer: the target and the value it delivers. Its frame recognises it and runs
 * it itself, as greenlet-fix's frame runs its transfer ops, so it needs no iterator of its own here.
 */
class LeastGreenletSwitch {
  readonly target: LeastGreenlet;
  readonly value: unknown;

  constructor(target: LeastGreenlet, value: unknown) {
    this.target = target;
    this.value = value;
  }
}

/**
 * The one frame of a least greenlet, as greenlet-fix's frame is: it drives the body and runs each greenlet switch
 * the body yields inside itself. A switch writes its value into the target's box and runs the target tasklet's
 * `switch()` op through the op protocol (its iterator, then `next()`), whose first step is the native switch the
 * trampoline makes. When the frame is resumed, it completes that op with what it was resumed with, as the protocol
 * asks, and resumes the body with its own box.
 */
class LeastGreenletFrame {
  readonly me: LeastGreenlet;
  readonly body: Generator<unknown, unknown, unknown>;
  /** The tasklet switch the frame waits in, or null. */
  waiting: Iterator<unknown, unknown, unknown> | null = null;

  constructor(me: LeastGreenlet, body: Generator<unknown, unknown, unknown>) {
    this.me = me;
    this.body = body;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(value: unknown): IteratorResult<unknown, unknown> {
    let v = value;
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      const me = this.me;
      // Resumed by the native switch of the least tasklet layer, which passes the tasklet switched to.
      if (waiting.next(v).value !== me.t) throw new Error('least greenlet ping-pong: resumed by a stranger');
      v = me.box;
      me.box = undefined;
    }
    const r = this.body.next(v);
    if (r.done) return r;
    const op = r.value;
    if (!(op instanceof LeastGreenletSwitch)) return r; // main.switch() at the end of a run
    const target = op.target;
    target.box = op.value;
    const inner = target.t.switch()[Symbol.iterator]();
    this.waiting = inner;
    return inner.next(undefined);
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    return this.body.throw(error);
  }
}
(LeastGreenletFrame.prototype as any)[OP_BRAND] = true;

/** The one object the bodies of the least greenlet case share. */
interface LeastPlayers {
  main: GreenletLike;
  ping: LeastGreenlet;
  pong: LeastGreenlet;
  rounds: number;
}

function* leastGreenletPing(p: LeastPlayers): Generator<unknown, never, unknown> {
  const pong = p.pong;
  for (;;) {
    for (let i = 0; i < p.rounds; i++) {
      const v = yield pong.switch(i);
      if (v !== i) throw wrongEcho('least greenlet ping-pong', v, i);
    }
    yield p.main.switch();
  }
}

function* leastGreenletPong(p: LeastPlayers, first: unknown): Generator<unknown, never, unknown> {
  const ping = p.ping;
  let v = first;
  for (;;) v = yield ping.switch(v);
}

/** The run of ping's native greenlet: its frame, given back as an op that the module runs as its frame. */
function startLeastGreenletPing(p: LeastPlayers): LeastGreenletFrame {
  return new LeastGreenletFrame(p.ping, leastGreenletPing(p));
}

/** Pong starts when ping's first switch arrives: its first value is in its box. */
function startLeastGreenletPong(p: LeastPlayers): LeastGreenletFrame {
  const first = p.pong.box;
  p.pong.box = undefined;
  return new LeastGreenletFrame(p.pong, leastGreenletPong(p, first));
}

/**
 * The least greenlet on tasklets under the op API, on module `m`: one op is one switch. Its bodies are written as
 * the `yield` form of greenlet ping-pong is. Each switch makes the two fresh op objects that greenlet-fix's makes
 * (the greenlet's, which its frame runs, and the target tasklet's `switch()`, run through the op protocol) and the
 * native switch under them, and keeps none of the rules: no tempval, ring, plan, arrival, atomic flag, tracer, or
 * check. So it is what any greenlet-on-Stackless layer under our API pays at least, against which greenlet-fix's
 * target can be set.
 */
export function leastGreenletPingPong(g: GreenletApi, m: GreenletModule, rounds: number): Case {
  const p: LeastPlayers = { main: m.getcurrent(), ping: new LeastGreenlet(), pong: new LeastGreenlet(), rounds };
  p.ping.t.g = new m.Greenlet(startLeastGreenletPing.bind(null, p));
  p.pong.t.g = new m.Greenlet(startLeastGreenletPong.bind(null, p));
  const sync = g.sync;
  return {
    ops: 2 * rounds,
    run() {
      sync(p.ping.t.g!.switch());
      if (p.ping.box !== undefined || p.pong.box !== undefined) {
        throw new Error('least greenlet ping-pong ended with a delivery not taken');
      }
    },
    dispose() {
      sync(p.ping.t.g!.throw());
      sync(p.pong.t.g!.throw());
    },
  };
}
