export { diffRuns, Namer, ProgramError } from './trace.js';
export { runStacklessProgram, stacklessProgram, stacklessAction } from './stackless-programs.js';
export type { StacklessAction, StacklessProgram, TaskletSpec } from './stackless-programs.js';
export { runGreenletProgram, greenletProgram, greenletAction } from './greenlet-programs.js';
export type { GreenletAction, GreenletProgram, GreenletSpec } from './greenlet-programs.js';
