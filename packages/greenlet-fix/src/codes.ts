/**
 * The small integers of a greenlet-fix module. Modules take them as their own constants
 * (`const { DEAD } = codesModule;`), which V8 folds into compiled code (docs/v8.md#modules-and-variables).
 *
 * Invariant: this module imports nothing; every other module of the package may import it.
 */

// A greenlet's life (G1).
export const UNSTARTED = 0;
export const STARTED = 1;
export const DEAD = 2;

// Delivery kinds, written by the deliverer into the receiver's `_dKind` (state.ts).
export const NONE = 0;
export const VALUE = 1; // resume with `_dValue` (G4, G11)
export const ERROR = 2; // resume by throwing `_dValue` (G12, G18)
export const START = 3; // start as run(..._dValue) (G3, G14)
export const START_ERROR = 4; // start with `_dValue` pending: dead at once (G14, G19)

// How the module's constructor is being used: for a user's greenlet, or to wrap an existing tasklet (greenlet.ts).
export const MAKE_USER = 0;
export const MAKE_MAIN = 1;
export const MAKE_STANDIN = 2;

// The kinds of transfer op (transfer.ts). The op's description for H8 (forgotten.ts) keeps only switch or throw.
export const SWITCH = 0; // payload: the one argument (G4)
export const THROW = 1; // payload: the error
export const SWITCH_MANY = 2; // payload: the arguments, none or several (G4)

// A transfer op's state, the shared op vocabulary (docs/design.md, "Ops"); it only moves forward.
export const FRESH = 0; // made; nothing has taken its iterator
export const CLAIMED = 1; // its iterator was taken (H1); its first step has not run
export const RUNNING = 2; // its first step runs: the checks, the dead walk, the delivery
export const SUSPENDED = 3; // the instance's switch is out; the caller waits for a delivery
export const DONE = 4; // finished or given up; it never runs again (H1)
