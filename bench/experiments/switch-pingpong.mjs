/**
 * A switch ping-pong on the built packages (dist), outside the bench harness: the figures of the rule-stripping
 * experiment (README.md here) are read with it, before and after `strip-rules.mjs`.
 *
 *   node bench/experiments/switch-pingpong.mjs native|fix|tasklet [rounds]
 *
 * - native: two native greenlets switch to each other with `yield g.switch(i)`;
 * - fix: the same on greenlet-fix over the default instance (`@greenstackless/greenlet-fix`);
 * - tasklet: two tasklets of the default instance switch to each other with `yield t.switch()`.
 *
 * Three warm-up runs (V8 settles its inlining in them), then seven timed runs of `rounds` round trips each; it
 * prints the best and the median ns per switch, then every timed run. Ping checks every echo, and the tasklet
 * case counts pong's turns, so a broken build fails instead of measuring.
 */
import * as greenlet from '@greenstackless/greenlet';
import * as fix from '@greenstackless/greenlet-fix';
import * as stackless from 'greenstackless';

const which = process.argv[2];
const rounds = Number(process.argv[3] ?? 200_000);

/** Greenlet ping-pong on module `m`: each call of the returned function makes 2 x rounds switches. */
function greenletCase(m) {
  const main = m.getcurrent();
  let ping = null;
  let pong = null;
  function* pingBody() {
    for (;;) {
      for (let i = 0; i < rounds; i++) {
        const v = yield pong.switch(i);
        if (v !== i) throw new Error(`ping got ${v} back, expected ${i}`);
      }
      yield main.switch();
    }
  }
  function* pongBody(first) {
    let v = first;
    for (;;) v = yield ping.switch(v);
  }
  ping = new m.Greenlet(pingBody);
  pong = new m.Greenlet(pongBody);
  return () => greenlet.sync(ping.switch());
}

/** Tasklet switch() ping-pong on the default instance: each call makes 2 x rounds switches. */
function taskletCase() {
  const p = { a: null, b: null, pongs: 0 };
  function* ping() {
    for (let i = 0; i < rounds; i++) yield p.b.switch();
  }
  function* pong() {
    for (;;) {
      p.pongs++;
      yield p.a.switch();
    }
  }
  p.b = stackless.tasklet(pong).setup().remove();
  return () => {
    const before = p.pongs;
    p.a = stackless.tasklet(ping).setup();
    greenlet.sync(stackless.run());
    if (p.pongs - before !== rounds) throw new Error(`pong ran ${p.pongs - before} times, expected ${rounds}`);
  };
}

const cases = { native: () => greenletCase(greenlet), fix: () => greenletCase(fix), tasklet: taskletCase };
if (!(which in cases)) {
  console.error('usage: node bench/experiments/switch-pingpong.mjs native|fix|tasklet [rounds]');
  process.exit(2);
}
const run = cases[which]();
for (let k = 0; k < 3; k++) run();
const times = [];
for (let k = 0; k < 7; k++) {
  const start = process.hrtime.bigint();
  run();
  times.push(Number(process.hrtime.bigint() - start) / (2 * rounds));
}
const sorted = [...times].sort((a, b) => a - b);
const ns = (t) => t.toFixed(1);
console.log(`${which}: best ${ns(sorted[0])} ns a switch, median ${ns(sorted[3])} (${times.map(ns).join(' ')})`);
