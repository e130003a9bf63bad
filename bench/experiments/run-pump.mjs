/**
 * What a pump of @greenstackless/io pays per wake: `sync(run())` from main waking one tasklet, which then takes
 * itself out of the ring, against `sync(schedule())` from main with one other tasklet that schedules back. Both
 * make two transfers; the difference is run()'s own bookkeeping (the watchdog stack, S9-S11). Prints ns per
 * round trip by CPU time, six passes of 300,000 in one fresh process.
 *
 *   node --conditions=@greenstackless/source --import tsx bench/experiments/run-pump.mjs run
 *   node --conditions=@greenstackless/source --import tsx bench/experiments/run-pump.mjs schedule
 */
import { native, sync } from '@greenstackless/greenlet';
import { createStackless } from 'greenstackless';

const sl = createStackless(native);
const N = 300_000;
const which = process.argv[2] ?? 'run';

function cpu(loop) {
  const start = process.cpuUsage();
  loop();
  const used = process.cpuUsage(start);
  return (((used.user + used.system) * 1000) / N).toFixed(1);
}

const figures = [];
if (which === 'run') {
  const t = sl.tasklet(function* () {
    for (;;) yield sl.scheduleRemove();
  });
  t.setup();
  sync(sl.run());
  for (let pass = 0; pass < 6; pass++) {
    figures.push(cpu(() => {
      for (let i = 0; i < N; i++) {
        t.insert();
        sync(sl.run());
      }
    }));
  }
} else if (which === 'schedule') {
  sl.tasklet(function* () {
    for (;;) yield sl.schedule();
  }).setup();
  for (let pass = 0; pass < 6; pass++) {
    figures.push(cpu(() => {
      for (let i = 0; i < N; i++) sync(sl.schedule());
    }));
  }
} else {
  console.error(`run-pump: say 'run' or 'schedule', not '${which}'`);
  process.exit(2);
}
console.log(`${which}: ${figures.join(' ')} ns per round trip (CPU time)`);
