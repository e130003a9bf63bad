// Timeouts with @greenstackless/io: a producer emits jobs, a consumer takes them one `next()` at a time and gives
// up when the producer has gone quiet; an abortable lookup is cut short by its timeout; a fast one is not.
import { EventEmitter } from 'node:events';
import { hub, TimeoutError } from '@greenstackless/io';
import type { Subscription } from '@greenstackless/io';

const jobs = new EventEmitter();

function* producer(): Generator<unknown, void, unknown> {
  for (let i = 1; i <= 4; i++) {
    yield* hub.sleep(20); // setTimeout, without the callback
    console.log(`producer: job ${i}`);
    jobs.emit('job', i);
  }
  console.log('producer: done, going quiet');
}

function* consumer(sub: Subscription<[number]>): Generator<unknown, number, unknown> {
  let handled = 0;
  for (;;) {
    try {
      const { value } = yield* sub.next({ timeout: 300 });
      console.log(`consumer: got job ${value![0]}`);
      yield* hub.sleep(5); // the work
      handled++;
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      console.log(`consumer: nothing for 300 ms (${error.message}); stopping`);
      sub.close();
      return handled;
    }
  }
}

/** An abortable lookup, the way fetch and most of Node's APIs take a signal. */
function lookup(what: string, ms: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(`${what} found`), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      console.log(`lookup ${what}: aborted by ${(signal.reason as Error).name}`);
      reject(signal.reason);
    });
  });
}

const handled = await hub.main(function* () {
  const task = hub.spawn(consumer, hub.on(jobs, 'job'));
  yield* producer();
  const handled = yield* hub.await(task.result); // a task's result is a promise like any other

  console.log(yield* hub.call((signal) => lookup('fast', 10, signal), { timeout: 1_000 }));
  try {
    yield* hub.call((signal) => lookup('slow', 5_000, signal), { timeout: 50, description: 'the slow lookup' });
  } catch (error) {
    console.log(`main: ${(error as Error).name}: ${(error as Error).message}`);
  }
  return handled;
});
console.log(`handled ${handled} jobs`);
