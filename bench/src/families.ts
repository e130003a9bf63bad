/**
 * The families, in the order they run and are reported. The runner and the child process that measures one row
 * both read this list, so a row is named by its family's name and its index.
 */
import { emulation } from './emulation.js';
import { io } from './io.js';
import type { Family } from './measure.js';
import { memory } from './memory.js';
import { peers } from './peers.js';
import { programs } from './programs.js';
import { scheduling } from './scheduling.js';
import { switching } from './switching.js';

export const FAMILIES: readonly Family[] = [switching, scheduling, emulation, peers, programs, memory, io];
