/**
 * The states of an op, with the names and numbers every package uses (docs/design.md, "Ops"). This module imports
 * nothing. A module that tests them takes them as its own constants (`const { DONE } = codes;`): V8 folds those
 * into compiled code, where it reads an imported binding through a cell (docs/v8.md#modules-and-variables).
 */

/** Made; nothing has taken its iterator. */
export const FRESH = 0;
/** Its iterator was taken (by `yield*`, `sync`, a frame); its first step has not run. */
export const CLAIMED = 1;
/** Its first step is running: checks (a wait's S3 probe is out), then the plan of its switch. */
export const RUNNING = 2;
/** Its switch is out (a wait is paused in `scheduleRemove`); it waits for its resumption. */
export const SUSPENDED = 3;
/** Finished, refused or given up; it never runs again (H1). */
export const DONE = 4;
