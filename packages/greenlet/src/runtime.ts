/**
 * The mutable state of the native greenlet runtime, shared by the greenlet object, the ops and the trampoline.
 *
 * Invariants:
 * - `current` is the running greenlet. Between two syncs (an empty sync stack) it is `main`.
 * - `syncDepth` is the number of pending `sync` calls; `syncOwners[k]` (1 <= k <= syncDepth) is the greenlet that
 *   called the k-th one, and its `syncLevel` is k while that call is its innermost pending one (H5, H6). The
 *   entries above `syncDepth` are null: the array keeps its length, which V8 shrinks only by a runtime call.
 * - `tracing` is true only while the tracer runs; no op may start then (G33).
 */
import type { Greenlet } from './greenlet.js';

export interface Runtime {
  /** The running greenlet (getcurrent()). */
  current: Greenlet;
  /** The module's main greenlet: the program's top level and every event-loop callback (G27). */
  main: Greenlet;
  /** How many `sync` calls are pending on the JavaScript stack. */
  syncDepth: number;
  /** The greenlet that called each pending `sync`, by level (index 0 unused), null above `syncDepth`. */
  syncOwners: (Greenlet | null)[];
  /** True while the tracer runs (G33). */
  tracing: boolean;
  /** The sequence number of the newest op made (H8, ops.ts). */
  opSeq: number;
  /** The installed tracer, or null (G29). */
  tracer: ((event: 'switch' | 'throw', origin: Greenlet, target: Greenlet) => void) | null;
}

// `current` and `main` are set once main exists (greenlet.ts), never null: no map check (docs/v8.md#field-types).
export const rt: Runtime = {
  syncDepth: 0,
  syncOwners: [null],
  tracing: false,
  opSeq: 0,
  tracer: null,
} as Omit<Runtime, 'current' | 'main'> as Runtime;
