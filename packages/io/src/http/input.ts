/**
 * The bytes of one HTTP connection that the server has read from its `Conn` and not yet used: the rest of a
 * head, a body, the next pipelined requests (docs/io.md W1, W3).
 *
 * Invariants:
 * - `buf[pos, end)` are the pending bytes, in order, and come before anything still buffered in the Conn. The
 *   server reads from the Conn only when the pending bytes are not enough, so pipelined requests wait in the
 *   Conn, under its read backpressure (K2).
 * - Appending to pending bytes copies into spare capacity that doubles, so a head or body that trickles in a
 *   byte at a time costs linear time, not quadratic.
 * - `since` is the server's sweep tick at which the connection began to wait for a head (or to drain a body the
 *   handler left unread), or -1 while a handler runs: what the server's headersTimeout sweep looks at (W5). A
 *   tick, not a clock, so that a request costs no clock read.
 */
import type { Conn } from '../conn.js';

const EMPTY: Buffer = Buffer.alloc(0);

export class HttpInput {
  readonly conn: Conn;
  buf: Buffer = EMPTY;
  pos = 0;
  end = 0;
  /** `buf` is a buffer of ours with room after `end` (not a view of a chunk the socket gave). */
  private owned = false;
  since = -1;

  constructor(conn: Conn) {
    this.conn = conn;
  }

  get pending(): number {
    return this.end - this.pos;
  }

  /** Adds bytes read from the connection after the pending ones. */
  append(chunk: Buffer): void {
    const n = chunk.length;
    if (this.pos === this.end) {
      this.buf = chunk;
      this.pos = 0;
      this.end = n;
      this.owned = false;
      return;
    }
    if (this.owned && this.end + n <= this.buf.length) {
      chunk.copy(this.buf, this.end);
      this.end += n;
      return;
    }
    const pending = this.end - this.pos;
    const next = Buffer.allocUnsafe(Math.max(2 * (pending + n), 4096));
    this.buf.copy(next, 0, this.pos, this.end);
    chunk.copy(next, pending);
    this.buf = next;
    this.pos = 0;
    this.end = pending + n;
    this.owned = true;
  }

  /** Gives the next `n` pending bytes (n <= pending), a view: bytes before `end` are never written again. */
  take(n: number): Buffer {
    const start = this.pos;
    this.pos += n;
    return this.buf.subarray(start, start + n);
  }

  /** Drops the next `n` pending bytes (n <= pending). */
  skip(n: number): void {
    this.pos += n;
  }
}
