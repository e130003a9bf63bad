/**
 * The inline-cache states of a V8 log written with `--log-ic`, per call or property site, for the functions of the
 * files a pattern names: the last state of each site and how many maps reached it. Used to find which sites of the
 * trampoline and of the layers go polymorphic (P) or megamorphic (N) when every layer runs in one process.
 *
 *   node --log-ic --logfile=/tmp/ic.log --no-logfile-per-isolate --expose-gc \
 *     --conditions=@greenstackless/source --import tsx bench/experiments/one-process-cpu.mjs '.' '<row>' 1
 *   node bench/experiments/ic-states.mjs /tmp/ic.log 'greenlet/src|greenstackless/src|greenlet-fix/src' [all]
 *
 * Sites are named "file:function kind line:column key"; tsx compiles each file to one line, so the column tells
 * sites apart. Only P and N sites are printed unless the third argument is `all`. States: 0 uninitialized,
 * 1 monomorphic, P polymorphic, N megamorphic, X no feedback.
 */
import { readFileSync } from 'node:fs';

const [file, pattern = '.', which = 'pn'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node bench/experiments/ic-states.mjs <v8.log> [file pattern] [all]');
  process.exit(2);
}
const code = []; // [start, end, name], sorted by start
const events = [];
for (const line of readFileSync(file, 'latin1').split('\n')) {
  const f = line.split(',');
  if (f[0] === 'code-creation' && f.length >= 7) {
    const start = Number.parseInt(f[4], 16);
    const size = Number(f[5]);
    if (Number.isFinite(start) && Number.isFinite(size)) code.push([start, start + size, f.slice(6).join(',')]);
  } else if (f[0].endsWith('IC') && f.length >= 9) {
    events.push(f);
  }
}
code.sort((a, b) => a[0] - b[0]);

function codeAt(pc) {
  let lo = 0;
  let hi = code.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (code[mid][0] <= pc) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0 && i > found - 64; i--) if (code[i][0] <= pc && pc < code[i][1]) return code[i][2];
  return '?';
}

const wanted = new RegExp(pattern);
const sites = new Map();
for (const [kind, pc, , line, column, , state, map, key] of events) {
  const name = codeAt(Number.parseInt(pc, 16));
  if (!wanted.test(name)) continue;
  const m = /(\S*) (?:file:\/\/)?\S*\/([\w.-]+\.[mc]?[jt]s)/.exec(name);
  const where = m === null ? name.slice(0, 40) : `${m[2]}:${m[1]}`;
  const id = `${where} ${kind} ${line}:${column} ${key}`;
  const site = sites.get(id) ?? { state, maps: new Set() };
  site.state = state;
  site.maps.add(map);
  sites.set(id, site);
}
for (const [id, { state, maps }] of [...sites].sort(([a], [b]) => a.localeCompare(b))) {
  if (which === 'all' || state === 'P' || state === 'N') console.log(`${id} -> ${state} (${maps.size} maps)`);
}
