/**
 * Shards split one run's seed space: `--shard 1/2` and `--shard 2/2` never share a seed, and
 * `stampede report merge` of their reports equals the report of one run of both (same seeds,
 * same cases, same operations and failures; only timings differ).
 */
import path from 'node:path';
import { readReport } from '../src/report/report-files';
import type { Report } from '../src/report/report-schema';
import { parseShard, roundOf, seedOf } from '../src/fuzz/seed-space';
import { scratchDir, stampedeIn } from './helpers/stampede-cli';

test('shards of one base seed get disjoint seeds that together are the whole run', () => {
  const base = 20261124;
  const whole = Array.from({ length: 3000 }, (_, r) => seedOf(base, r));
  const shards = [1, 2, 3].map((i) =>
    Array.from({ length: 1000 }, (_, k) => seedOf(base, roundOf({ index: i, count: 3 }, k))),
  );
  const all = shards.flat();
  expect(new Set(all).size).toBe(all.length);
  expect(new Set(all)).toEqual(new Set(whole));
});

test.each(['0/2', '3/2', '1/0', '1', 'a/b', '-1/2'])('--shard %s is refused', (raw) => {
  expect(() => parseShard(raw)).toThrow(/--shard must look like "2\/4"/);
});

/** What must not depend on how the run was split: everything but timings and resources. */
function workDone(report: Report) {
  return {
    batches: report.batches.map((b) => [b.round, b.engine, b.seed, b.cases, b.operations]),
    scenarios: report.scenarios.map((s) => [s.name, s.cases, s.operations, s.passed]),
    totals: report.totals,
    failures: report.failures.map((f) => f.key),
    passed: report.passed,
  };
}

test('merging the reports of shards 1/2 and 2/2 equals one report of both', () => {
  const cwd = scratchDir('shards');
  // The deterministic engines: parallel and leak batches depend on timing, so their counts differ
  // from run to run whatever the split.
  const common = [
    'fuzz',
    '--seed',
    '99',
    '--cases-per-seed',
    '10',
    '--for',
    '5m',
    '--engines',
    'sequential,interleaved',
  ];
  for (const [shard, out] of [
    ['1/2', 'a'],
    ['2/2', 'b'],
  ] as const) {
    const run = stampedeIn(cwd, ...common, '--rounds', '2', '--shard', shard, '--out', out);
    expect(run.code).toBe(0);
  }
  const both = stampedeIn(cwd, ...common, '--rounds', '4', '--out', 'both');
  expect(both.code).toBe(0);
  const merge = stampedeIn(cwd, 'report', 'merge', 'a', 'b/report.json', '--out', 'merged');
  expect(merge.code).toBe(0);

  const [a, b, whole, merged] = ['a', 'b', 'both', 'merged'].map((d) =>
    readReport(path.join(cwd, d)),
  ) as [Report, Report, Report, Report];
  const seedsA = new Set(a.batches.map((x) => x.seed));
  expect(b.batches.some((x) => seedsA.has(x.seed))).toBe(false);
  expect(workDone(merged)).toEqual(workDone(whole));
  expect(merged.shards).toEqual([
    { index: 1, count: 2 },
    { index: 2, count: 2 },
  ]);
  // Latency histograms are summed, not averaged: every call of both shards is in the merge.
  for (const s of merged.scenarios) {
    const parts = [a, b].map((r) => r.scenarios.find((x) => x.name === s.name));
    expect(s.latencyMicros.count).toBe(
      parts.reduce((n, p) => n + (p?.latencyMicros.count ?? 0), 0),
    );
  }
  expect(merged.timeline.map((p) => p.source)).toEqual(expect.arrayContaining(['1/2', '2/2']));

  const again = stampedeIn(cwd, 'report', 'merge', 'a', 'a', '--out', 'twice');
  expect(again.code).toBe(2);
  expect(again.err).toMatch(/shard 1\/2 appears in more than one report/);
});
