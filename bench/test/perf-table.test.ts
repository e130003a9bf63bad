/**
 * scripts/perf-table.mjs copies the targets table and the command and date of a full run from RESULTS.md into the
 * root README between its markers, and refuses a README or RESULTS.md it cannot read that way.
 */
import { describe, expect, it } from 'vitest';
import { END, perfSection, replaceSection, START } from '../../scripts/perf-table.mjs';

const RESULTS = `# Benchmark results

- Node: v20.20.2
- Date: 2026-12-07T19:01:02.345Z
- Command: \`pnpm bench\`

| family | benchmark |
| --- | --- |
| switching | raw |

## Targets

| what | ratio | against | target | met? |
| --- | ---: | --- | --- | --- |
| switching: greenlet ping-pong, yield | 1.93x | raw generator ping-pong (floor) | <= 2x | yes |
`;

describe('perf-table', () => {
  it('takes the command, the date and the targets table, nothing else', () => {
    const section = perfSection(RESULTS);
    expect(section).toBe(
      '`pnpm bench`, 2026-12-07 19:01 UTC ([bench/RESULTS.md](bench/RESULTS.md)):\n\n' +
        '| what | ratio | against | target | met? |\n| --- | ---: | --- | --- | --- |\n' +
        '| switching: greenlet ping-pong, yield | 1.93x | raw generator ping-pong (floor) | <= 2x | yes |',
    );
    expect(section).not.toContain('| switching | raw |');
  });

  it('replaces only the text between the markers', () => {
    const readme = `# Title\n\nbefore\n${START}\nold table\n${END}\nafter\n`;
    expect(replaceSection(readme, 'new')).toBe(`# Title\n\nbefore\n${START}\nnew\n${END}\nafter\n`);
  });

  it('refuses a README without both markers, or with one twice, and RESULTS.md without its targets table', () => {
    expect(() => replaceSection('no markers', 'x')).toThrow(/must hold/);
    expect(() => replaceSection(`${START}\n${END}\n${START}`, 'x')).toThrow(/once each/);
    expect(() => perfSection(RESULTS.replace(/## Targets[\s\S]*/, ''))).toThrow(/no "## Targets" section/);
    expect(() => perfSection(RESULTS.replace(/- Date:.*\n/, ''))).toThrow(/"- Date:"/);
  });
});
