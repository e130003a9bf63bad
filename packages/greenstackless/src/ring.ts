/**
 * The two intrusive queues a tasklet can be in, threaded through its `nextLink`/`prevLink` fields: the ring (the
 * run queue) and a channel's wait queue. The types here are structural, so that the tasklet, the channel and the
 * scheduler, above, use these functions without this module knowing them.
 *
 * Invariants:
 * - A tasklet's `link` says where it is: OUT (paused, new or dead; both links null), RING (the run queue) or
 *   CHANNEL (blocked; `channel` is the channel). It is in at most one queue. `link` is not stored: a blocked
 *   tasklet has a `channel`, and one in the ring has a `nextLink` (the ring is circular).
 * - The ring (S2) is circular and doubly linked; the scheduler's `current` is its head whenever no transfer is in
 *   flight, so the tail is `current.prevLink`. `runcount` is the number of tasklets in it (S4).
 * - A channel's wait queue (C2) is linear: `head.prevLink` and `tail.nextLink` are null. Every tasklet in it waits
 *   in the same direction; `balance` is their number, positive for senders and negative for receivers.
 * - Every function here is O(1).
 */
import * as codesModule from './codes.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { RING } = codesModule;

/** A tasklet as the queues see it (TaskletImpl, tasklet.ts): its two links, its channel, and where it is. */
export interface Linked<T> {
  nextLink: T | null;
  prevLink: T | null;
  channel: WaitQueue<T> | null;
  /** OUT, RING or CHANNEL (codes.ts), derived from the fields above. */
  readonly link: number;
}

/** A channel as its wait queue (ChannelImpl, channel.ts). */
export interface WaitQueue<T> {
  head: T | null;
  tail: T | null;
  /** Blocked senders minus blocked receivers (C2). */
  balance: number;
}

/** The instance as the ring sees it (the Scheduler, scheduler.ts). */
export interface RingCount {
  /** The number of tasklets in the ring (S4). */
  runcount: number;
}

/** Puts `t` (OUT) into the ring just before `at` (in the ring): at the tail when `at` is the head. */
export function ringInsertBefore<T extends Linked<T>>(s: RingCount, t: T, at: T): void {
  const before = at.prevLink!;
  t.prevLink = before;
  t.nextLink = at;
  before.nextLink = t;
  at.prevLink = t;
  s.runcount++;
}

/** Makes `t` (OUT) the only tasklet of an empty ring. */
export function ringAlone<T extends Linked<T>>(s: RingCount, t: T): void {
  t.prevLink = t;
  t.nextLink = t;
  s.runcount++;
}

/** `t` (OUT) takes the place of `c` (in the ring), which is OUT (paused) afterwards; `runcount` is unchanged. */
export function ringReplace<T extends Linked<T>>(c: T, t: T): void {
  const before = c.prevLink!;
  const after = c.nextLink!;
  if (after === c) {
    t.prevLink = t;
    t.nextLink = t;
  } else {
    t.prevLink = before;
    t.nextLink = after;
    before.nextLink = t;
    after.prevLink = t;
  }
  c.prevLink = null;
  c.nextLink = null;
}

/** Takes `t` out of the ring; it is OUT (paused) afterwards. */
export function ringUnlink<T extends Linked<T>>(s: RingCount, t: T): void {
  const before = t.prevLink!;
  const after = t.nextLink!;
  before.nextLink = after;
  after.prevLink = before;
  t.prevLink = null;
  t.nextLink = null;
  s.runcount--;
}

/**
 * S2's "resume in place", the part that touches the ring: `t` goes in at the tail of the ring whose head will be
 * `head` (alone if `head` is null), unless it is in the ring already. The caller then makes `t` current.
 */
export function ringResumeInPlace<T extends Linked<T>>(s: RingCount, t: T, head: T | null): void {
  if (t.link === RING) return;
  if (head === null) ringAlone(s, t);
  else ringInsertBefore(s, t, head);
}

/** The tasklet after `t` in the ring, or null when `t` is alone: where the head goes when `t` leaves. */
export function ringSuccessor<T extends Linked<T>>(t: T): T | null {
  return t.nextLink === t ? null : t.nextLink;
}

/** Blocks `t` (OUT) on `ch`: appended to the wait queue, `balance` moves by `direction` (C5 step 5). */
export function channelAppend<T extends Linked<T>>(ch: WaitQueue<T>, t: T, direction: number): void {
  const tail = ch.tail;
  t.prevLink = tail;
  t.nextLink = null;
  if (tail === null) ch.head = t;
  else tail.nextLink = t;
  ch.tail = t;
  t.channel = ch;
  ch.balance += direction;
}

/** Takes the blocked `t` out of its channel's queue; the balance moves one step towards 0 (C5 step 4, T16). */
export function channelRemove<T extends Linked<T>>(t: T): void {
  const ch = t.channel!;
  const before = t.prevLink;
  const after = t.nextLink;
  if (before === null) ch.head = after;
  else before.nextLink = after;
  if (after === null) ch.tail = before;
  else after.prevLink = before;
  t.prevLink = null;
  t.nextLink = null;
  t.channel = null;
  ch.balance += ch.balance > 0 ? -1 : 1;
}
