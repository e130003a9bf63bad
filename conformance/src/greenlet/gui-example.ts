/**
 * docs/gui_example.rst ported: a pull-style command loop runs in a greenlet while a push-style event source (here
 * the real event loop: one timer callback per key) feeds it keys with `sync(g.switch(key))` (G27, H5). The loop
 * reads each key in a nested generator frame (H3), which switches to main and is resumed with the key.
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, type Topic } from './common.js';

export const guiExample: Topic = (make) => {
  describe('docs/gui_example.rst: an asynchronous event source drives a synchronous loop', () => {
    const env = useModule(make);

    it('G27/H5: keys pushed from timer callbacks are pulled by a command loop in a greenlet', async () => {
      const { mod, main } = env;
      const out: string[] = [];
      const echo = (input: string) => {
        out.push(`    <<< ${input.trim()}`);
        return input;
      };
      // Runs in the processor greenlet: waits in main's event loop for the next key.
      const readNextChar = function* (): Generator<unknown, string, unknown> {
        return (yield* main.switch('blocking in read_next_char')) as string;
      };
      const processCommands = function* () {
        for (;;) {
          let line = '';
          while (!line.endsWith('\n')) line += (yield readNextChar()) as string;
          echo(line);
          if (line === 'quit\n') {
            out.push('Are you sure?');
            if (echo((yield readNextChar()) as string) !== 'y') continue;
            out.push('(Exiting loop.)');
            break;
          }
          out.push(`(Processing command: ${line.trim()})`);
        }
      };
      const processor: GreenletLike = new mod.Greenlet(processCommands);
      expect(sync(processor.switch())).toBe('blocking in read_next_char');
      // The "GUI": one event-loop callback per key, each in main, each switching into the processor.
      const keys = [...'hello\n', ...'quit\n', 'y'];
      const replies: unknown[] = [];
      for (const key of keys) {
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            replies.push(sync(processor.switch(key)));
            resolve();
          }, 0),
        );
      }
      expect(out).toEqual([
        '    <<< hello',
        '(Processing command: hello)',
        '    <<< quit',
        'Are you sure?',
        '    <<< y',
        '(Exiting loop.)',
      ]);
      expect(processor.dead).toBe(true);
      // Every key but the last left the processor waiting; the last let it return into main.
      expect(replies.slice(0, -1).every((r) => r === 'blocking in read_next_char')).toBe(true);
      expect(replies[replies.length - 1]).toBe(undefined);
    });
  });
};
