// A program that cleans up when it is stopped: hub.main kills its tasklet on SIGINT (Ctrl-C) or SIGTERM, so the
// `finally` blocks run and every wait's teardown removes its timer or listener. Run it and press Ctrl-C.
// (It waits for a signal, so the examples' runner does not run it; conformance/test/io.exit.test.ts does.)
import { hub } from '@greenstackless/io';
import { TaskletExit } from 'greenstackless';

function* worker(): Generator<unknown, never, unknown> {
  const resource = { open: true }; // a file, a socket, a lock...
  try {
    console.log('working; press Ctrl-C to stop');
    for (let tick = 1; ; tick++) {
      yield* hub.sleep(50); // a timer that keeps the process alive until the signal
      if (tick === 2) console.log('ready');
    }
  } finally {
    resource.open = false;
    console.log(`cleaning up: resource open ${resource.open}`);
  }
}

try {
  await hub.main(worker);
} catch (error) {
  if (!(error instanceof TaskletExit)) throw error;
  console.log('stopped by a signal');
  process.exitCode = 130; // what a shell reports for a program ended by SIGINT
}
