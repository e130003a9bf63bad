/**
 * The HTTP rows of the `io` family (IO.md §4): wrk against `serveHttp` and `node:http`. The HTTP server's module
 * fills this in; io.ts appends whatever rows it returns. Helpers for pinned processes and `wrk` are in
 * io-procs.ts.
 */
import type { Context, RowDef } from './measure.js';

export function httpRows(_ctx: Context): RowDef[] {
  return []; // none yet: the HTTP rows are added with the HTTP server
}
