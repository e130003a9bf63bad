// Preemptive scheduling by ticks. Busy tasklets never give up control on their own; each runs `yield* tick()`
// after every unit of work. `run({ timeout })` counts ticks, not time: when a tasklet has ticked `timeout` times
// since the last switch, it is taken out of the ring, paused where it stands, and `run()` gives it back to main.
// Main puts it back at the tail and calls `run()` again: a round-robin time slice of `timeout` units. Because
// only ticks count, the output is the same on every machine.
import { sync } from '@greenstackless/greenlet';
import { atomic, getruncount, run, schedule, tasklet, tick, type Tasklet } from 'greenstackless';

const names = new Map<Tasklet, string>();
const done = new Map<string, number>();

function* busy(name: string, units: number) {
  for (let i = 0; i < units; i++) {
    done.set(name, i + 1);
    yield* tick();
  }
  console.log(`  ${name} finished its ${units} units`);
}

function* careful(name: string, units: number) {
  // An atomic section holds preemption off: its 1500 ticks run in one slice, and the interrupt that fell due in
  // the middle of it is taken when it ends.
  yield* atomic(function* () {
    for (let i = 0; i < units; i++) {
      done.set(name, i + 1);
      yield* tick();
    }
  });
  console.log(`  ${name} finished its ${units} units, all in one atomic section`);
}

function spawn(name: string, body: typeof busy, units: number): void {
  names.set(tasklet(body).setup(name, units), name);
}

console.log('hard preemption, a slice of 1000 ticks:');
spawn('alpha', busy, 2500);
spawn('beta', busy, 1200);
spawn('gamma', careful, 1500);
for (let slice = 1; ; slice++) {
  const interrupted = sync(run({ timeout: 1000 }));
  if (interrupted === null) break; // nothing left to run
  const name = names.get(interrupted)!;
  console.log(`slice ${slice}: ${name} interrupted after unit ${done.get(name)}`);
  interrupted.insert();
}

// Soft preemption never stops a tasklet in the middle of its work: once the budget is spent, it waits for the
// next switch the running tasklet makes, and main resumes there instead of the tasklet due next. With
// `totaltimeout` the count does not restart at each switch, so the budget is shared by all.
console.log('soft preemption, 1000 ticks in all, workers that switch every 300 ticks:');
let progress: string[] = [];
function* polite(name: string) {
  for (let i = 1; i <= 900; i++) {
    yield* tick();
    if (i % 300 === 0) {
      progress.push(`${name}@${i}`);
      yield* schedule();
    }
  }
}
tasklet(polite).setup('delta');
tasklet(polite).setup('epsilon');
for (let round = 1; ; round++) {
  const result = sync(run({ timeout: 1000, soft: true, totaltimeout: true }));
  console.log(`run ${round} gave ${result}: ${progress.join(' ')}`);
  progress = [];
  if (getruncount() === 1) break; // only main is left
}
