/**
 * The small integers of a greenlet-fix module, in one module that imports nothing, so that every module that tests
 * them can take them as its own constants (`const { DEAD } = codesModule;`) even where the modules import each
 * other in a cycle: V8 reads an exported or imported binding through a cell and checks it for the hole at every
 * use, but folds a module's own constants into compiled code. The modules that own each group re-export it.
 */

// A greenlet's state (greenlet.ts).
export const UNSTARTED = 0;
export const STARTED = 1;
export const DEAD = 2;

// Delivery kinds, written by the deliverer into the receiver's `_dKind` (greenlet.ts).
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
