/**
 * Compares the checker of another checkout with this one's, in one process, alternating on the
 * same recorded history: on a shared machine, runs minutes apart differ by more than most
 * changes do. `npx tsx bench/checker-ab.ts <baseline-checkout> [calls=100000] [pairs=10]`,
 * where the baseline is, for instance, `git worktree add ../baseline HEAD~1` with this
 * checkout's node_modules linked into it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MIXES } from '../src/scenarios/parallel/mixes';
import { DEFAULT_PARALLEL, runParallelCase } from '../src/scenarios/parallel/parallel-case';
import type { TrackerHistory } from '../src/scenarios/parallel/parallel-case';
import { median } from './parallel';

type CheckModule = typeof import('../src/scenarios/parallel/check-parallel-history');
type StateModule = typeof import('../models/tracker-state');

interface Side {
  readonly name: string;
  readonly check: CheckModule['checkParallelHistory'];
  readonly initial: StateModule['initialTrackerState'];
}

async function sideOf(name: string, root: string): Promise<Side> {
  const check = (await import(
    path.join(root, 'src/scenarios/parallel/check-parallel-history')
  )) as CheckModule;
  const state = (await import(path.join(root, 'models/tracker-state'))) as StateModule;
  return { name, check: check.checkParallelHistory, initial: state.initialTrackerState };
}

function timeOne(side: Side, history: TrackerHistory): number {
  const started = performance.now();
  const result = side.check(history, side.initial(), undefined, {
    timeoutMs: 60_000,
    exactUpTo: 0,
  });
  if (result.verdict !== 'ok')
    throw new Error(`${side.name}: ${result.verdict} on a correct history`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const [baselineArg, callsArg, pairsArg] = process.argv.slice(2);
  if (baselineArg === undefined || !fs.existsSync(path.join(baselineArg, 'src'))) {
    console.error('usage: tsx bench/checker-ab.ts <baseline-checkout> [calls=100000] [pairs=10]');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(baselineArg, 'node_modules'))) {
    // The baseline's modules import their packages from its own tree.
    console.error(
      `${baselineArg} has no node_modules: link this checkout's, e.g. ` +
        `ln -s "${path.join(__dirname, '..', 'node_modules')}" ${path.join(baselineArg, 'node_modules')}`,
    );
    process.exit(2);
  }
  const calls = Number(callsArg ?? 100_000);
  const pairs = Number(pairsArg ?? 10);
  const outcome = await runParallelCase({
    ...DEFAULT_PARALLEL,
    target: { kind: 'builtin' },
    seed: 8,
    threads: 8,
    lanes: 1,
    seconds: 600,
    opsPerLane: Math.ceil(calls / 8),
    mix: MIXES.mixed,
    skipCheck: true,
    keepHistory: true,
  });
  const history = outcome.histories.flat();
  const baseline = await sideOf('baseline', path.resolve(baselineArg));
  const current = await sideOf('this checkout', path.join(__dirname, '..'));
  // Warm-up: both sides' code compiled and the heap grown before anything is timed.
  for (let k = 0; k < 3; k += 1) for (const side of [baseline, current]) timeOne(side, history);
  const ratios: number[] = [];
  const times = { baseline: [] as number[], current: [] as number[] };
  for (let k = 0; k < pairs; k += 1) {
    // Each pair in a new order, so neither side always runs right after the other's garbage.
    const first = k % 2 === 0;
    const a = first ? timeOne(baseline, history) : 0;
    const b = timeOne(current, history);
    const c = first ? a : timeOne(baseline, history);
    times.baseline.push(c);
    times.current.push(b);
    ratios.push(b / c);
  }
  console.log(
    `${history.length} calls, ${pairs} pairs: baseline median ${median(times.baseline).toFixed(1)} ms, ` +
      `this checkout ${median(times.current).toFixed(1)} ms, ` +
      `median ratio (this / baseline) ${median(ratios).toFixed(2)}`,
  );
}

void main();
