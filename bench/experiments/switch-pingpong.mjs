/**
 * The bench's switch ping-pong cases (src/pingpong.ts) timed on the built packages (dist), outside the bench
 * harness: the figures of the rule-stripping experiment (README.md here) are read with it, before and after
 * `strip-rules.mjs`. Run it without the `source` condition, so that the packages load from dist:
 *
 *   node --import tsx bench/experiments/switch-pingpong.mjs native|fix|tasklet [rounds]
 *
 * - native: the emulation family's native row, two native greenlets (`yield g.switch(i)`);
 * - fix: its greenlet-fix row, the same on greenlet-fix over the default instance;
 * - tasklet: its `t.switch()` row, two tasklets of the default instance.
 *
 * Three warm-up runs (V8 settles its inlining in them), then seven timed runs of `rounds` round trips each; it
 * prints the best and the median ns per switch, then every timed run. The cases check their echoes and end states,
 * so a broken build fails instead of measuring.
 */
import * as greenlet from '@greenstackless/greenlet';
import * as fix from '@greenstackless/greenlet-fix';
import * as stackless from 'greenstackless';
import { greenletPingPong, taskletSwitchPingPong } from '../src/pingpong.ts';

const which = process.argv[2];
const rounds = Number(process.argv[3] ?? 200_000);

const cases = {
  native: () => greenletPingPong(greenlet, greenlet, 'yield', rounds),
  fix: () => greenletPingPong(greenlet, fix, 'yield', rounds),
  tasklet: () => taskletSwitchPingPong(greenlet, stackless.stackless, rounds),
};
if (!(which in cases)) {
  console.error('usage: node --import tsx bench/experiments/switch-pingpong.mjs native|fix|tasklet [rounds]');
  process.exit(2);
}
const c = cases[which]();
for (let k = 0; k < 3; k++) c.run();
const times = [];
for (let k = 0; k < 7; k++) {
  const start = process.hrtime.bigint();
  c.run();
  times.push(Number(process.hrtime.bigint() - start) / c.ops);
}
// No dispose(): the process ends here, and a stripped build cannot kill its greenlets (their deaths need the rules).
const sorted = [...times].sort((a, b) => a - b);
const ns = (t) => t.toFixed(1);
console.log(`${which}: best ${ns(sorted[0])} ns a switch, median ${ns(sorted[3])} (${times.map(ns).join(' ')})`);
