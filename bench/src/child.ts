/**
 * The child process of runner.ts: `child.ts <family> <row index> [--quick]` measures that one row and sends its
 * Outcome to the parent.
 */
import { FAMILIES } from './families.js';
import { measureRow } from './measure.js';

const [name, index, ...flags] = process.argv.slice(2);
const family = FAMILIES.find((f) => f.name === name);
const def = family?.rows({ quick: flags.includes('--quick') })[Number(index)];
if (def === undefined || process.send === undefined) {
  console.error(`bench child: no row ${index} in family ${name}, or no parent to report to`);
  process.exit(2);
}
const outcome = await measureRow(def);
process.send(outcome, () => process.exit(0));
