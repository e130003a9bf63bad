/**
 * The rule-stripping experiment (README.md here): takes the per-switch rules (docs/stackless.md,
 * docs/greenlet-fix.md) out of the built packages (their dist/ files), so that switch-pingpong.mjs measures what a
 * switch costs with the same structure and none of those checks. It breaks the packages on purpose: measure, then
 * `pnpm build` to put them back.
 *
 *   pnpm build && node bench/experiments/strip-rules.mjs instance|fix|all
 *
 * - instance: greenstackless' rules on a tasklet switch: S20, S3 and H8 at the op's start, H8 at its creation,
 *   T15's checks (blocked, dead, itself), the switch trap (S13), the soft interrupt (P5), S22 at the arrival, the
 *   schedule callback (S17) and the tick reset (P3);
 * - fix: greenlet-fix's rules on a switch: H8, G33, the dead walk (G16), F9, F3's atomic flag, F6 and the tracer
 *   (G30);
 * - all: both.
 *
 * The native package keeps its rules: the baseline, a native switch, keeps them too. What stays in both layers is
 * their structure: the ops and their phases, the plan and transit of S5, the ring update of T15, the tempval of
 * T11, the delivery box, the arrival that makes the target current. Each edit must match the built text exactly
 * once; if a source changed, the script stops and names the edit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages');

/** [rule, old text, new text]: one replacement in a built file. */
const INSTANCE = {
  'greenstackless/dist/opbase.js': [
    ['H8 at creation', `        const maker = s.current;
        if (maker === s.main) {
            this.serial = 0;
        }
        else {`, `        this.serial = 0;
        if (false) {`],
    ['S20, S3, H8 at the start', `        if (s.inCallback !== 0)
            throw recursiveCall(s, this.describe());
        if (s.module.getcurrent() !== cur.g)
            throw notInCurrent(this, cur);
        if (s.newestSerial !== 0 || s.unrun.length !== 0)
            checkForgotten(cur);
`, ''],
    ['S22 at the arrival', `    if (!s.isOurs(me))
        throw s.foreignResume(me, what.describeFor(me));
    s.arrive();`, '    s.arrive();'],
  ],
  'greenstackless/dist/ops.js': [
    ['T15 checks, S13', `        if (t.link === CHANNEL)
            throw new StacklessError(\`\${this.describe()}: \${MSG.blockedRun}\`);
        if (t.state === NOT_ALIVE)
            throw new StacklessError(\`\${this.describe()}: \${MSG.deadRun}\`);
        // M10: on the current tasklet, nothing happens.
        if (t === c)
            return claim(c);
        const s = this.s;
        if (s.trap !== 0)
            throw trapError(this);
        const plan = s.runPlan;`, `        const s = this.s;
        const plan = s.runPlan;`],
  ],
  'greenstackless/dist/scheduler.js': [
    ['P5 when aiming', `        this.intended = null;
        const target = this.softDue ? this.interrupted(to) : to;`, '        const target = to;'],
    ['P5, S17, P3 at the arrival', `        const intended = this.intended;
        if (intended !== null) {
            // P5: the preempting run()'s caller resumes in place of \`intended\`, which keeps its place.
            this.intended = null;
            ringResumeInPlace(this, next, intended);
            this.softDue = false;
        }
        const cb = this.scheduleCallback;
        if (cb !== null)
            callScheduleCallback(this, cb, prev, next);
        this.current = next;
        if (!this.total)
            this.ticks = 0;`, '        this.current = next;'],
  ],
};

const FIX = {
  'greenlet-fix/dist/transfer.js': [
    ['H8 at creation', `        const owner = mod.getcurrent();
        if (owner === mod.main)
            this.owner = null;
        else {
            this.owner = owner;
            noteMade(owner, this);
        }`, '        this.owner = null;'],
    ['H8 at the start', `        if (this.owner !== null)
            noteRun(this.owner, this);
        return this;`, '        return this;'],
    ['G33, H8, G16', `        if (mod.tracing)
            throw new GreenletError(\`no op may run inside the tracer: it must not switch (G33)\`);
        if (hasForgotten(caller)) {
            const forgotten = takeForgotten(caller);
            if (forgotten !== null)
                throw forgotten;
        }
        let target = this.target;
        if (isDead(target))
            target = this.walkDead(target);`, '        let target = this.target;'],
    ['F9', `            if (!target._waiting)
                throw notWaiting(caller, target);
`, ''],
    ['F3: atomic on', '        this.savedAtomic = from.setAtomic(true);', ''],
    ['F3: atomic off', `        if (!this.savedAtomic)
            caller._tasklet.setAtomic(false);`, ''],
    ['F6', `        if (kind === NONE) {
            throw new GreenletError(\`\${caller} was resumed by the scheduler, not a greenlet, while it waited in \${this.describe()} (F6)\`);
        }`, ''],
    ['G30', `        if (mod.tracer !== null && mod.trace(kind === VALUE ? 'switch' : 'throw', origin, caller)) {
            throw mod.takeTraceError(); // G32
        }
        if (kind === ERROR)`, '        if (kind === ERROR)'],
  ],
};

const which = process.argv[2];
const sets = { instance: [INSTANCE], fix: [FIX], all: [INSTANCE, FIX] }[which];
if (sets === undefined) {
  console.error('usage: node bench/experiments/strip-rules.mjs instance|fix|all   (after pnpm build)');
  process.exit(2);
}
// Check every edit before writing any file, so that a failed run leaves the build as it was.
const edited = new Map();
for (const set of sets) {
  for (const [file, edits] of Object.entries(set)) {
    const path = join(root, file);
    let text = edited.get(path) ?? readFileSync(path, 'utf8');
    for (const [rule, before, after] of edits) {
      const count = text.split(before).length - 1;
      if (count !== 1) {
        console.error(`${file}: the text of "${rule}" occurs ${count} times, not once: run pnpm build, or update this edit`);
        process.exit(1);
      }
      text = text.replace(before, () => after);
    }
    edited.set(path, text);
  }
}
for (const [path, text] of edited) writeFileSync(path, text);
console.log(`stripped (${which}): ${[...edited.keys()].map((p) => p.slice(root.length + 1)).join(', ')}; pnpm build puts them back`);
