#!/usr/bin/env node
// Prints the conformance matrix (suite × implementation, with pass counts) as a Markdown table, from the JSON
// report that `pnpm test` leaves in .vitest-results.json.
import { readFileSync } from 'node:fs';

const cells = [
  ['greenlet', '`native`', 'conformance/test/greenlet.native.test.ts'],
  ['greenlet', '`createGreenlet()` (on the default instance)', 'conformance/test/greenlet.fix.test.ts'],
  ['greenlet', '`createGreenlet(createStackless(createGreenlet(createStackless(native))))`', 'conformance/test/greenlet.tower.test.ts'],
  ['Stackless', '`stackless` (the default instance)', 'conformance/test/stackless.default.test.ts'],
  ['Stackless', '`createStackless(native)`', 'conformance/test/stackless.native.test.ts'],
  ['Stackless', '`createStackless(createGreenlet(createStackless(native)))`', 'conformance/test/stackless.tower.test.ts'],
  ['differential', 'Stackless: `createStackless(native)` against the tower; greenlet: `native` against `createGreenlet(createStackless(native))`', 'conformance/test/differential.test.ts'],
  ['io hub', '`hub` (the default instance)', 'conformance/test/io.default.test.ts'],
  ['io hub', '`createHub(createStackless(createGreenlet(createStackless(native))))`', 'conformance/test/io.tower.test.ts'],
  ['sockets', '`hub` (the default instance)', 'conformance/test/net.default.test.ts'],
  ['sockets', '`createHub(createStackless(createGreenlet(createStackless(native))))`', 'conformance/test/net.tower.test.ts'],
  ['HTTP', '`hub` (the default instance)', 'conformance/test/http.default.test.ts'],
  ['HTTP', '`createHub(createStackless(createGreenlet(createStackless(native))))`', 'conformance/test/http.tower.test.ts'],
  ['stress', 'Stackless: `createStackless(native)` and the tower', 'conformance/test/stress.test.ts'],
];
const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
const byFile = new Map(report.testResults.map((r) => [r.name.slice(r.name.indexOf('conformance/')), r]));
console.log('| suite | implementation | passed | failed | skipped |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const [suite, impl, file] of cells) {
  const r = byFile.get(file);
  const count = (s) => (r ? r.assertionResults.filter((a) => s.includes(a.status)).length : 0);
  console.log(`| ${suite} | ${impl} | ${count(['passed'])} | ${count(['failed'])} | ${count(['pending', 'skipped', 'todo'])} |`);
}
