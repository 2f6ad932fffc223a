/**
 * The parallel engine end to end, with real worker threads on one WAL file: the correct tracker
 * passes (its histories check ok), planted bugs are caught with a witness, and a worker that
 * exits, blocks its thread or never returns from a call is detected and reported with its last
 * calls: the run ends with a verdict, never a hang.
 */
import {
  runParallelCase,
  DEFAULT_PARALLEL,
  type ParallelSettings,
} from '../src/scenarios/parallel/parallel-case';
import { MIXES } from '../src/scenarios/parallel/mixes';
import { formatParallelFailure } from '../src/scenarios/parallel/parallel-report';
import type { WorkerFault } from '../src/scenarios/parallel/tracker-worker';

const base: ParallelSettings = {
  ...DEFAULT_PARALLEL,
  target: { kind: 'builtin' },
  seed: 42,
  threads: 2,
  lanes: 2,
  seconds: 2,
  roundSeconds: 1,
  mix: MIXES.mixed,
};

test('the correct tracker: every round of a 2-thread run checks ok, with every call judged', async () => {
  const outcome = await runParallelCase({ ...base, keepHistory: true });
  expect(outcome.verdict.kind).toBe('completed');
  expect(outcome.problems).toEqual([]);
  expect(outcome.failed).toBe(false);
  expect(outcome.check?.verdict).toBe('ok');
  expect(outcome.check?.unchecked).toBe(0);
  expect(outcome.rounds).toBe(2);
  const history = outcome.histories.flat();
  expect(history.length).toBe(outcome.operations);
  // Several logical workers took part, and each one's calls never overlap.
  const workers = new Set(history.map((op) => op.worker));
  expect(workers.size).toBe(4);
  for (const worker of workers) {
    const own = history.filter((op) => op.worker === worker).sort((a, b) => a.invoke - b.invoke);
    for (let k = 1; k < own.length; k += 1)
      expect(own[k - 1]!.response).toBeLessThan(own[k]!.invoke);
  }
}, 60_000);

test('a planted bug under real parallelism (shared-connection) is caught with a witness', async () => {
  const outcome = await runParallelCase({
    ...base,
    target: { kind: 'catalogue', name: 'shared-connection' },
    seconds: 6,
  });
  expect(outcome.failed).toBe(true);
  expect(outcome.check?.verdict === 'violation' || outcome.problems.length > 0).toBe(true);
  expect(outcome.failure?.history.length).toBeGreaterThan(0);
  const report = formatParallelFailure(outcome, 'npx stampede parallel --seed 42');
  expect(report).toContain('npx stampede parallel --seed 42');
}, 60_000);

test.each<[string, WorkerFault, RegExp]>([
  ['exits', { kind: 'exit', afterOps: 600 }, /crashed: its thread exited \(code 3\)/],
  ['blocks its thread', { kind: 'block', afterOps: 600 }, /hung: silent for \d+ ms/],
  [
    'never returns from a call',
    { kind: 'stall', afterOps: 600 },
    /hung: one operation has run for over/,
  ],
])(
  'a worker that %s is detected and reported with its last calls',
  async (_what, fault, reason) => {
    const started = Date.now();
    const outcome = await runParallelCase({
      ...base,
      seconds: 30,
      roundSeconds: 30,
      fault,
      timeouts: { silenceMs: 2_000, operationMs: 3_000 },
    });
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(outcome.failed).toBe(true);
    expect(outcome.verdict.kind).toBe(fault.kind === 'exit' ? 'crash' : 'hang');
    if (outcome.verdict.kind === 'completed') return;
    expect(outcome.verdict.thread).toBe(0);
    expect(outcome.verdict.lastOps.length).toBeGreaterThan(0);
    const report = formatParallelFailure(outcome, 'again');
    expect(report).toMatch(reason);
    expect(report).toContain('its last completed operations');
  },
  60_000,
);
