/**
 * Family programs: small whole programs written as a user would write them, each beside its twin written naively
 * with async/await over an unbuffered promise channel (rendezvous.ts), in the same run.
 *
 * Programs, one op = one run of the whole program (its tasklets made, run and left to end or to the collector):
 * - the concurrent prime sieve: a generator tasklet sends 2, 3, 4, ... down a chain of filter tasklets, one per
 *   prime found, until 1,000 primes are found;
 * - a token ring of 10,000 tasklets, each passing the token on (plus one) for several laps; main closes the ring;
 * - a pipeline: a producer, two stages (square, keep the odd ones) and the consumer, over three channels;
 * - the token ring again with greenlets switching to each other, on native greenlets and on greenlet-fix;
 * - the pipeline again on a tower, S/fix/S/native.
 * Targets: each greenstackless program at least as fast as its async/await twin (ratio <= 1.0x), and the
 * greenlet-fix ring within 3x the native one, in fresh processes and in the one process.
 *
 * The greenstackless programs use the default instance and the typed `yield*` form (`const v = yield*
 * ch.receive()`), start from plain code with one `sync`, and check their result: the primes against a plain trial
 * division, the token against the number of hops, the pipeline's sum against a plain loop. A broken run fails.
 */
import type { ChannelLike, GreenletApi, GreenletLike, GreenletModule, StacklessLike } from './api.js';
import { loadGreenlet, loadGreenletFix, loadStackless } from './api.js';
import type { Case, Context, Family, RowDef, Target } from './measure.js';
import { timed } from './measure.js';
import { Rendezvous } from './rendezvous.js';

const AT_LEAST_AS_FAST: Target = { of: 'ratio', cmp: '<=', limit: 1 };
const WITHIN_3X: Target = { of: 'ratio', cmp: '<=', limit: 3 };

/** The first `count` primes, by trial division: what the sieves must find. */
export function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) {
    if (primes.every((p) => p * p > n || n % p !== 0)) primes.push(n);
  }
  return primes;
}

function checkPrimes(what: string, got: number[], want: number[]): void {
  if (got.length !== want.length || got.some((p, i) => p !== want[i])) {
    const at = got.findIndex((p, i) => p !== want[i]);
    throw new Error(`${what}: found ${got.length} primes, the one at ${at} is ${got[at]}, expected ${want[at]}`);
  }
}

function checkToken(what: string, got: unknown, want: number): void {
  if (got !== want) throw new Error(`${what}: the token came back as ${String(got)}, expected ${want}`);
}

// --- the prime sieve ---------------------------------------------------------------------------------------

function* generate(ch: ChannelLike<number>): Generator<unknown, never, unknown> {
  for (let i = 2; ; i++) yield* ch.send(i);
}

function* filter(input: ChannelLike<number>, output: ChannelLike<number>, prime: number): Generator<unknown, never, unknown> {
  for (;;) {
    const i = yield* input.receive();
    if (i % prime !== 0) yield* output.send(i);
  }
}

function* sieve(st: StacklessLike, count: number): Generator<unknown, number[], unknown> {
  const primes: number[] = [];
  let ch = st.channel<number>();
  st.tasklet(generate).setup(ch);
  for (let i = 0; i < count; i++) {
    const prime = yield* ch.receive();
    primes.push(prime);
    const next = st.channel<number>();
    st.tasklet(filter).setup(ch, next, prime);
    ch = next;
  }
  return primes;
}

async function generateAsync(ch: Rendezvous<number>): Promise<never> {
  for (let i = 2; ; i++) await ch.send(i);
}

async function filterAsync(input: Rendezvous<number>, output: Rendezvous<number>, prime: number): Promise<never> {
  for (;;) {
    const i = await input.receive();
    if (i % prime !== 0) await output.send(i);
  }
}

async function sieveAsync(count: number): Promise<number[]> {
  const primes: number[] = [];
  let ch = new Rendezvous<number>();
  void generateAsync(ch);
  for (let i = 0; i < count; i++) {
    const prime = await ch.receive();
    primes.push(prime);
    const next = new Rendezvous<number>();
    void filterAsync(ch, next, prime);
    ch = next;
  }
  return primes;
}

/** The sieve on instance `st`: its tasklets stay blocked at the end, as in Go's, and are collected with the run. */
export function sieveProgram(g: GreenletApi, st: StacklessLike, count: number): Case {
  const want = firstPrimes(count);
  return {
    ops: 1,
    run() {
      checkPrimes('prime sieve', g.sync(sieve(st, count)), want);
    },
  };
}

export function sieveAsyncProgram(count: number): Case {
  const want = firstPrimes(count);
  return {
    ops: 1,
    async run() {
      checkPrimes('async prime sieve', await sieveAsync(count), want);
    },
  };
}

// --- the token ring ----------------------------------------------------------------------------------------

function* member(input: ChannelLike<number>, output: ChannelLike<number>, laps: number): Generator<unknown, void, unknown> {
  for (let lap = 0; lap < laps; lap++) {
    const token = yield* input.receive();
    yield* output.send(token + 1);
  }
}

/** Main closes the ring: it sends the token to the first member and takes it from the last, `laps` times. */
function* ring(st: StacklessLike, size: number, laps: number): Generator<unknown, number, unknown> {
  const channels: ChannelLike<number>[] = [];
  for (let i = 0; i <= size; i++) channels.push(st.channel<number>());
  for (let i = 0; i < size; i++) st.tasklet(member).setup(channels[i], channels[i + 1], laps);
  const first = channels[0]!;
  const last = channels[size]!;
  let token = 0;
  for (let lap = 0; lap < laps; lap++) {
    yield* first.send(token);
    token = yield* last.receive();
  }
  return token;
}

async function memberAsync(input: Rendezvous<number>, output: Rendezvous<number>, laps: number): Promise<void> {
  for (let lap = 0; lap < laps; lap++) {
    const token = await input.receive();
    await output.send(token + 1);
  }
}

async function ringAsync(size: number, laps: number): Promise<number> {
  const channels: Rendezvous<number>[] = [];
  for (let i = 0; i <= size; i++) channels.push(new Rendezvous<number>());
  const members: Promise<void>[] = [];
  for (let i = 0; i < size; i++) members.push(memberAsync(channels[i]!, channels[i + 1]!, laps));
  const first = channels[0]!;
  const last = channels[size]!;
  let token = 0;
  for (let lap = 0; lap < laps; lap++) {
    await first.send(token);
    token = await last.receive();
  }
  await Promise.all(members);
  return token;
}

/** The ring on instance `st`; main then runs the members to their end (each ends after its laps). */
export function ringProgram(g: GreenletApi, st: StacklessLike, size: number, laps: number): Case {
  return {
    ops: 1,
    run() {
      checkToken('token ring', g.sync(ring(st, size, laps)), size * laps);
      g.sync(st.run());
      if (st.runcount !== 1) throw new Error(`token ring: ${st.runcount} tasklets runnable at the end, expected 1 (main)`);
    },
  };
}

export function ringAsyncProgram(size: number, laps: number): Case {
  return {
    ops: 1,
    async run() {
      checkToken('async token ring', await ringAsync(size, laps), size * laps);
    },
  };
}

// --- the token ring of greenlets ---------------------------------------------------------------------------

/** The greenlets of one run of the greenlet ring. */
interface GreenletRing {
  members: GreenletLike[];
  hops: number;
}

/**
 * Member `i` gets the token with each switch into it and switches on to the next with the token plus one. The one
 * that gets the last hop's token returns it to its parent, main; the others stay suspended and are collected.
 */
function* greenletMember(r: GreenletRing, i: number, first: number): Generator<unknown, number, unknown> {
  const next = r.members[(i + 1) % r.members.length]!;
  let token = first;
  while (token !== r.hops) token = yield* next.switch<number>(token + 1);
  return token;
}

/** The ring of greenlets of module `m`, made by each run, the token going round `laps` times. */
export function greenletRingProgram(g: GreenletApi, m: GreenletModule, size: number, laps: number): Case {
  return {
    ops: 1,
    run() {
      const r: GreenletRing = { members: [], hops: size * laps };
      for (let i = 0; i < size; i++) r.members.push(new m.Greenlet(greenletMember.bind(null, r, i)));
      checkToken('greenlet token ring', g.sync(r.members[0]!.switch(0)), size * laps);
    },
  };
}

// --- the pipeline ------------------------------------------------------------------------------------------

/** The pipeline's end of stream, sent after the last value and passed on by every stage. */
const END = -1;

function* produce(out: ChannelLike<number>, count: number): Generator<unknown, void, unknown> {
  for (let i = 1; i <= count; i++) yield* out.send(i);
  yield* out.send(END);
}

function* square(input: ChannelLike<number>, out: ChannelLike<number>): Generator<unknown, void, unknown> {
  for (;;) {
    const x = yield* input.receive();
    if (x === END) break;
    yield* out.send(x * x);
  }
  yield* out.send(END);
}

function* keepOdd(input: ChannelLike<number>, out: ChannelLike<number>): Generator<unknown, void, unknown> {
  for (;;) {
    const x = yield* input.receive();
    if (x === END) break;
    if ((x & 1) === 1) yield* out.send(x);
  }
  yield* out.send(END);
}

function* pipeline(st: StacklessLike, count: number): Generator<unknown, number, unknown> {
  const numbers = st.channel<number>();
  const squares = st.channel<number>();
  const odd = st.channel<number>();
  st.tasklet(produce).setup(numbers, count);
  st.tasklet(square).setup(numbers, squares);
  st.tasklet(keepOdd).setup(squares, odd);
  let sum = 0;
  for (;;) {
    const x = yield* odd.receive();
    if (x === END) return sum;
    sum += x;
  }
}

async function produceAsync(out: Rendezvous<number>, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await out.send(i);
  await out.send(END);
}

async function squareAsync(input: Rendezvous<number>, out: Rendezvous<number>): Promise<void> {
  for (;;) {
    const x = await input.receive();
    if (x === END) break;
    await out.send(x * x);
  }
  await out.send(END);
}

async function keepOddAsync(input: Rendezvous<number>, out: Rendezvous<number>): Promise<void> {
  for (;;) {
    const x = await input.receive();
    if (x === END) break;
    if ((x & 1) === 1) await out.send(x);
  }
  await out.send(END);
}

async function pipelineAsync(count: number): Promise<number> {
  const numbers = new Rendezvous<number>();
  const squares = new Rendezvous<number>();
  const odd = new Rendezvous<number>();
  const stages = [produceAsync(numbers, count), squareAsync(numbers, squares), keepOddAsync(squares, odd)];
  let sum = 0;
  for (;;) {
    const x = await odd.receive();
    if (x === END) break;
    sum += x;
  }
  await Promise.all(stages);
  return sum;
}

/** The sum of the odd squares of 1..count, by a plain loop: what the pipelines must compute. */
export function oddSquareSum(count: number): number {
  let sum = 0;
  for (let i = 1; i <= count; i++) if ((i * i) % 2 === 1) sum += i * i;
  return sum;
}

function checkSum(what: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${what}: the sum is ${got}, expected ${want}`);
}

export function pipelineProgram(g: GreenletApi, st: StacklessLike, count: number): Case {
  const want = oddSquareSum(count);
  return {
    ops: 1,
    run() {
      checkSum('pipeline', g.sync(pipeline(st, count)), want);
      g.sync(st.run()); // the stages that passed the end on are runnable: they end here
      if (st.runcount !== 1) throw new Error(`pipeline: ${st.runcount} tasklets runnable at the end, expected 1 (main)`);
    },
  };
}

export function pipelineAsyncProgram(count: number): Case {
  const want = oddSquareSum(count);
  return {
    ops: 1,
    async run() {
      checkSum('async pipeline', await pipelineAsync(count), want);
    },
  };
}

// --- the family --------------------------------------------------------------------------------------------

async function defaultInstance(): Promise<{ g: GreenletApi; st: StacklessLike }> {
  const [g, s] = await Promise.all([loadGreenlet(), loadStackless()]);
  return { g, st: s.stackless };
}

function rows(ctx: Context): RowDef[] {
  const q = ctx.quick;
  const primes = q ? 300 : 1_000;
  const size = q ? 2_000 : 10_000;
  const laps = q ? 3 : 5;
  const count = q ? 5_000 : 20_000;
  const n = (x: number) => x.toLocaleString('en-US');
  const sieveOp = `sieve of ${n(primes)} primes`;
  const ringOp = `${n(size)} members, ${laps} laps`;
  const pipeOp = `${n(count)} numbers, 3 channels`;
  const SIEVE_ASYNC = 'prime sieve, async/await';
  const RING_ASYNC = 'token ring, async/await';
  const PIPE_ASYNC = 'pipeline, async/await';
  const PIPE = 'pipeline, greenstackless';
  const RING_NATIVE = 'token ring of greenlets, native';
  const both = (t: Target) => ({ target: t, oneProcessTarget: t });
  return [
    timed(ctx, { name: SIEVE_ASYNC, op: sieveOp }, () => sieveAsyncProgram(primes)),
    timed(ctx, { name: 'prime sieve, greenstackless', op: sieveOp, baseline: SIEVE_ASYNC, ...both(AT_LEAST_AS_FAST) }, async () => {
      const { g, st } = await defaultInstance();
      return sieveProgram(g, st, primes);
    }),
    timed(ctx, { name: RING_ASYNC, op: ringOp }, () => ringAsyncProgram(size, laps)),
    timed(ctx, { name: 'token ring, greenstackless', op: ringOp, baseline: RING_ASYNC, ...both(AT_LEAST_AS_FAST) }, async () => {
      const { g, st } = await defaultInstance();
      return ringProgram(g, st, size, laps);
    }),
    timed(ctx, { name: PIPE_ASYNC, op: pipeOp }, () => pipelineAsyncProgram(count)),
    timed(ctx, { name: PIPE, op: pipeOp, baseline: PIPE_ASYNC, ...both(AT_LEAST_AS_FAST) }, async () => {
      const { g, st } = await defaultInstance();
      return pipelineProgram(g, st, count);
    }),
    timed(ctx, { name: 'pipeline, greenstackless on S/fix/S/native', op: pipeOp, baseline: PIPE }, async () => {
      const [g, s, fix] = await Promise.all([loadGreenlet(), loadStackless(), loadGreenletFix()]);
      return pipelineProgram(g, s.createStackless(fix.createGreenlet(s.createStackless(g.native))), count);
    }),
    timed(ctx, { name: RING_NATIVE, op: ringOp }, async () => {
      const g = await loadGreenlet();
      return greenletRingProgram(g, g.native, size, laps);
    }),
    timed(ctx, { name: 'token ring of greenlets, greenlet-fix: createGreenlet()', op: ringOp, baseline: RING_NATIVE, ...both(WITHIN_3X) }, async () => {
      const [g, fix] = await Promise.all([loadGreenlet(), loadGreenletFix()]);
      return greenletRingProgram(g, fix.createGreenlet(), size, laps);
    }),
  ];
}

export const programs: Family = { name: 'programs', title: 'Programs: a prime sieve, a token ring, a pipeline, against async/await twins', rows };
