// Bounded concurrency with a channel as a semaphore: ten jobs, at most three at once. A permit is a tasklet
// blocked sending on `permits`: acquiring receives from it, releasing hands the permit back on `returns`.
import { hub } from '@greenstackless/io';
import { stackless } from 'greenstackless';
import type { Op } from '@greenstackless/greenlet';

function semaphore(n: number): { acquire(): Op<void>; release(): Op<void> } {
  const permits = stackless.channel<void>();
  const returns = stackless.channel<void>();
  for (let i = 0; i < n; i++) {
    // Plain tasklets, not hub tasklets: blocked for good at the end, they are no deadlock (I14).
    stackless.tasklet(function* permit() {
      for (;;) {
        yield* permits.send(); // held here until someone acquires
        yield* returns.receive(); // and here until it is released
      }
    }, []).insert();
  }
  return { acquire: () => permits.receive(), release: () => returns.send() };
}

/** Pretends to fetch something: a promise that settles after `ms`. */
function fetchPretend(id: number, ms: number): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(`result ${id}`), ms));
}

const limit = semaphore(3);
let running = 0;
let most = 0;

function* job(id: number): Generator<unknown, string, unknown> {
  yield* limit.acquire();
  try {
    running++;
    most = Math.max(most, running);
    return yield* hub.await(fetchPretend(id, 10 + (id % 4) * 10));
  } finally {
    running--;
    yield* limit.release();
  }
}

const results = await hub.main(function* () {
  const tasks = Array.from({ length: 10 }, (_, i) => hub.spawn(job, i + 1));
  return yield* hub.await(Promise.all(tasks.map((t) => t.result))); // Promise.all, from a tasklet
});
for (const r of results) console.log(r);
console.log(`at most ${most} jobs ran at once`);
await hub.join();
console.log('all hub tasklets have ended');
