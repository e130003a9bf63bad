/**
 * The bytes a connection has received and not yet given to a reader (K1, K2): a queue of chunks as the socket
 * delivered them, never concatenated on arrival, and a delimiter search that resumes where the last one stopped.
 *
 * Invariants:
 * - `chunks[head]` from `offset`, then `chunks[head + 1 ..]` whole, are the buffered bytes in order; `length` is
 *   their count. No chunk in the queue is empty.
 * - The search state belongs to one delimiter (`scanDelim`): no match of it starts before `scanChunk`'s first
 *   byte minus the `tailLength` bytes kept in `tail` (the last `delimiter.length - 1` bytes already searched), and
 *   `chunks[scanChunk ..]` have not been searched. So a line that arrives a byte at a time is searched once
 *   (Syncless' `min_off`): linear, not quadratic. Taking bytes or searching for another delimiter resets it.
 * - Text is decoded only from whole lines, so a character split across chunks is never broken.
 */
import { LineTooLongError } from './errors.js';

const LF = 0x0a;
const CR = 0x0d;

/** The delimiter of `readLine`. */
export const NEWLINE: Buffer = Buffer.from('\n');

export class ReadBuffer {
  /**
   * The chunks; those before `head` are consumed and dropped at the next compaction. While nothing is buffered
   * it is the shared empty list, never written: an idle connection holds no list, and a first chunk makes one of
   * exactly one element.
   */
  private chunks: Buffer[] = NO_CHUNKS;
  private head = 0;
  /** Bytes of `chunks[head]` already taken. */
  private offset = 0;
  /** Buffered bytes. */
  length = 0;

  /** The delimiter the search state belongs to, or null when there is none. */
  private scanDelim: Buffer | null = null;
  /** The first chunk not yet searched. */
  private scanChunk = 0;
  /** The last bytes searched, which a match may start in (at most delimiter.length - 1 of them). */
  private tail: Buffer | null = null;
  private tailLength = 0;
  /** The buffered position of `chunks[scanChunk]`'s first byte (minus `offset` for the head chunk). */
  private scanBase = 0;

  /** Bytes handed to the search so far: what the linear-time tests count, not a clock. */
  examined = 0;

  /** Appends a chunk as it is (K1: no concatenation on arrival). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length === 0) this.chunks = [chunk];
    else this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /**
   * The buffered position just past the first match of `delim`, or -1 when there is none yet. Resumes where the
   * last search for the same delimiter stopped.
   */
  find(delim: Buffer): number {
    const dlen = delim.length;
    if (this.scanDelim === null || (this.scanDelim !== delim && !this.scanDelim.equals(delim))) this.resetScan(delim);
    const chunks = this.chunks;
    while (this.scanChunk < chunks.length) {
      const i = this.scanChunk;
      const chunk = chunks[i];
      const from = i === this.head ? this.offset : 0;
      const base = this.scanBase; // buffered position of chunk[from]
      if (dlen === 1) {
        const at = chunk.indexOf(delim[0], from);
        if (at >= 0) {
          this.examined += at + 1 - from;
          return base + (at - from) + 1;
        }
      } else {
        // A match that starts in the tail of the bytes already searched and ends in this chunk or later.
        const spanning = this.findSpanning(delim, chunk, from);
        if (spanning >= 0) {
          this.examined += spanning + dlen - this.tailLength;
          return base - this.tailLength + spanning + dlen;
        }
        const at = chunk.indexOf(delim, from);
        if (at >= 0) {
          this.examined += at + dlen - from;
          return base + (at - from) + dlen;
        }
        this.keepTail(chunk, from, dlen);
      }
      this.examined += chunk.length - from;
      this.scanChunk = i + 1;
      this.scanBase = base + (chunk.length - from);
    }
    return -1;
  }

  /** Gives the first `n` buffered bytes (n <= length): a view of one chunk when they lie in one, else a copy. */
  take(n: number): Buffer {
    const first = this.chunks[this.head];
    let out: Buffer;
    if (first.length - this.offset >= n) {
      out = first.subarray(this.offset, this.offset + n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      let i = this.head;
      let from = this.offset;
      while (filled < n) {
        const chunk = this.chunks[i];
        const count = Math.min(chunk.length - from, n - filled);
        chunk.copy(out, filled, from, from + count);
        filled += count;
        i++;
        from = 0;
      }
    }
    this.skip(n);
    return out;
  }

  /** Gives the first `n` buffered bytes decoded, then drops `drop` more (a line's end). */
  takeString(n: number, drop: number, encoding: BufferEncoding): string {
    const first = this.chunks[this.head];
    let text: string;
    if (first.length - this.offset >= n) {
      text = first.toString(encoding, this.offset, this.offset + n);
      this.skip(n);
    } else {
      text = this.take(n).toString(encoding);
    }
    if (drop !== 0) this.skip(drop);
    return text;
  }

  /** The byte at buffered position `pos` (< length). */
  byteAt(pos: number): number {
    let i = this.head;
    let at = this.offset + pos;
    while (at >= this.chunks[i].length) {
      at -= this.chunks[i].length;
      i++;
    }
    return this.chunks[i][at];
  }

  /** Drops the first `n` buffered bytes (n <= length). */
  skip(n: number): void {
    this.length -= n;
    this.scanDelim = null; // positions moved; the next search starts again from the front
    if (this.length === 0) {
      this.chunks = NO_CHUNKS;
      this.head = 0;
      this.offset = 0;
      return;
    }
    let offset = this.offset + n;
    let head = this.head;
    while (offset >= this.chunks[head].length) {
      offset -= this.chunks[head].length;
      this.chunks[head] = EMPTY; // let the consumed chunk go now, not at compaction
      head++;
    }
    this.head = head;
    this.offset = offset;
    if (head >= 64 && head * 2 >= this.chunks.length) {
      this.chunks.splice(0, head);
      this.head = 0;
    }
  }

  /**
   * `readLine` (K1): the next line without its `\n` (and a `\r` before it) unless `keepEnd`, decoded whole;
   * at EOF the rest as a last line. `undefined` when no whole line is buffered yet (or nothing is, at EOF).
   * A line longer than `limit` bytes (its `\n` not counted) throws LineTooLongError and stays buffered (K2).
   */
  takeLine(keepEnd: boolean, encoding: BufferEncoding, limit: number, eof: boolean): string | undefined {
    const end = this.find(NEWLINE);
    if (end < 0) {
      if (this.length > limit) throw lineTooLong('line', limit);
      if (!eof || this.length === 0) return undefined;
      return this.takeString(this.length, 0, encoding);
    }
    if (end - 1 > limit) throw lineTooLong('line', limit);
    if (keepEnd) return this.takeString(end, 0, encoding);
    const cut = end >= 2 && this.byteAt(end - 2) === CR ? 2 : 1;
    return this.takeString(end - cut, cut, encoding);
  }

  /**
   * `readUntil` (K1): the bytes up to and including `delim`; at EOF the rest. `undefined` when no match is
   * buffered yet (or nothing is, at EOF). A match longer than `limit` bytes throws LineTooLongError (K2).
   */
  takeUntil(delim: Buffer, limit: number, eof: boolean): Buffer | undefined {
    const end = this.find(delim);
    if (end < 0) {
      if (this.length >= limit && this.length !== 0) throw lineTooLong('match', limit);
      if (!eof || this.length === 0) return undefined;
      return this.take(this.length);
    }
    if (end > limit) throw lineTooLong('match', limit);
    return this.take(end);
  }

  /** `read(max)` (K1): what is buffered, at most `max` bytes, or `undefined` when nothing is. */
  takeSome(max: number): Buffer | undefined {
    if (this.length === 0) return undefined;
    return this.take(Math.min(max, this.length));
  }

  /** `readExactly(n)` (K1): `n` bytes, or `undefined` while fewer are buffered. */
  takeExactly(n: number): Buffer | undefined {
    if (this.length < n) return undefined;
    if (n === 0) return EMPTY;
    return this.take(n);
  }

  private resetScan(delim: Buffer): void {
    this.scanDelim = delim;
    this.scanChunk = this.head;
    this.scanBase = 0;
    this.tailLength = 0;
    if (delim.length > 1 && (this.tail === null || this.tail.length < 2 * (delim.length - 1))) {
      this.tail = Buffer.allocUnsafe(2 * (delim.length - 1));
    }
  }

  /**
   * Searches the kept tail joined with the start of `chunk` for a match that starts in the tail; gives its
   * position in the tail, or -1. Copies at most 2 * (delimiter.length - 1) bytes.
   */
  private findSpanning(delim: Buffer, chunk: Buffer, from: number): number {
    const keep = this.tailLength;
    if (keep === 0) return -1;
    const tail = this.tail!;
    const extra = Math.min(delim.length - 1, chunk.length - from);
    chunk.copy(tail, keep, from, from + extra);
    const at = tail.subarray(0, keep + extra).indexOf(delim);
    return at >= 0 && at < keep ? at : -1;
  }

  /** Keeps the last delimiter.length - 1 bytes searched (the tail, then this chunk) for the next chunk. */
  private keepTail(chunk: Buffer, from: number, dlen: number): void {
    const want = dlen - 1;
    const tail = this.tail!;
    const available = chunk.length - from;
    if (available >= want) {
      chunk.copy(tail, 0, chunk.length - want);
      this.tailLength = want;
      return;
    }
    // A short chunk: the older tail bytes move down, then the chunk follows them.
    const fromTail = Math.min(this.tailLength, want - available);
    tail.copy(tail, 0, this.tailLength - fromTail, this.tailLength);
    chunk.copy(tail, fromTail, from);
    this.tailLength = fromTail + available;
  }
}

const EMPTY: Buffer = Buffer.alloc(0);

/** The chunk list of an empty buffer, shared: `push` replaces it, nothing writes to it. */
const NO_CHUNKS: Buffer[] = [];

function lineTooLong(what: 'line' | 'match', limit: number): LineTooLongError {
  return new LineTooLongError(
    what === 'line'
      ? `the line is longer than the limit of ${limit} bytes; its bytes stay buffered (K2)`
      : `no delimiter within the limit of ${limit} bytes; the bytes stay buffered (K2)`,
  );
}
