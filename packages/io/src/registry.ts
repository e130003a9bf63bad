/**
 * Which hub serves which instance (I1): the registry every module of the package asks for a hub's state. It sits
 * below the socket and HTTP modules, so that they never import hub.ts, the package's top, which imports them.
 *
 * Invariants:
 * - One hub per instance: `hubs` maps an instance to its hub once the hub's state is made (`HubState.make`).
 * - `theDefault` is the default instance's hub object. hub.ts sets it when it loads, before any code of the other
 *   modules runs: the package's entry point (index.ts) imports hub.ts first.
 */
import type { Stackless } from 'greenstackless';
import type { HubCore } from './pump.js';
import type { TaskRegistry } from './tasks.js';
import type { Hub } from './types.js';

/** What the package's modules need of a hub object made by hub.ts, beside its public face. */
export interface HubState extends Hub {
  /** The hub's pump state (I5, I6); null until the hub is made (the default hub, before first use). */
  readonly core: HubCore | null;
  /** The hub's tasklets (I8, I14); null until the hub is made. */
  readonly tasks: TaskRegistry | null;
  /** The pump state, the hub made first if it is not. */
  use(): HubCore;
}

const hubs = new WeakMap<Stackless, HubState>();
let theDefault: HubState | null = null;

/** Records `h` as the hub of its instance (I1). */
export function register(h: HubState): void {
  hubs.set(h.stackless, h);
}

/** The hub of `stackless`, or undefined if it has none yet. */
export function hubOf(stackless: Stackless): HubState | undefined {
  return hubs.get(stackless);
}

/** hub.ts names the default instance's hub object once, when it loads. */
export function setDefaultHub(h: HubState): void {
  theDefault = h;
}

/** The default instance's hub, made on first use. */
export function defaultHub(): HubState {
  const h = theDefault!;
  if (h.core === null) h.use();
  return h;
}

/** `h` as a hub of this package (the only kind whose state its modules can reach), or a TypeError. */
function ownHub(h: Hub): HubState {
  if (hubs.get(h.stackless) !== h && h !== theDefault) {
    throw new TypeError(`expected a hub of @greenstackless/io, not ${String(h)}`);
  }
  return h as HubState;
}

/** The pump state of a hub, for the package's socket and HTTP modules (corking, I6). Not exported publicly. */
export function hubCore(h: Hub): HubCore {
  const own = ownHub(h);
  return own.core ?? own.use();
}

/** The task registry of a hub, for `serve`'s connection tasks. Not exported publicly. */
export function hubTasks(h: Hub): TaskRegistry {
  const own = ownHub(h);
  if (own.tasks === null) own.use();
  return own.tasks!;
}
