/** Reports are built from records, so merging reports equals building one from all records. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReport, type RunData } from '../src/report/report-builder';
import { encodeHistogram, newHistogram, recordMicros } from '../src/report/latency';
import { mergeReports } from '../src/report/merge-reports';
import { readReport, writeReport } from '../src/report/report-files';
import type { FailureRecord } from '../src/report/report-schema';

function histogramOf(values: readonly number[]): string {
  const h = newHistogram();
  values.forEach((v) => recordMicros(h, v));
  return encodeHistogram(h);
}

function failure(key: string, round: number, engine = 'sequential'): FailureRecord {
  return {
    key,
    engine,
    property: `tracker-${engine}`,
    seed: round * 7,
    path: '1:2',
    round,
    summary: `case ${key}`,
    calls: 4,
    replay: `npx stampede replay --engine ${engine} --seed ${round * 7} --path 1:2`,
    savedFile: null,
    occurrences: 1,
    lanes: null,
  };
}

const latencyA = { sequential: [10, 20, 30, 4000], interleaved: [100, 250] };
const latencyB = { sequential: [15, 25, 99_000], interleaved: [300] };

function data(
  shard: number,
  rounds: number[],
  failures: FailureRecord[],
  latency: typeof latencyA,
): RunData {
  return {
    kind: 'fuzz',
    status: 'completed',
    target: 'tracker (built-in)',
    baseSeed: 5,
    shards: [{ index: shard, count: 2 }],
    startedAt: `2026-01-01T00:00:0${shard}.000Z`,
    updatedAt: `2026-01-01T01:00:0${shard}.000Z`,
    wallMs: 1000 * shard,
    batches: rounds.flatMap((round) =>
      ['sequential', 'interleaved'].map((engine) => ({
        round,
        engine,
        seed: round * 7,
        cases: 10 + round,
        operations: 100 + round,
        errors: round,
        durationMs: 50,
        failed: failures.some((f) => f.round === round && f.engine === engine),
      })),
    ),
    latency: {
      sequential: [histogramOf(latency.sequential)],
      interleaved: [histogramOf(latency.interleaved)],
    },
    timeline: [
      {
        source: `${shard}/2`,
        elapsedMs: 1000,
        cases: 10,
        operations: 100,
        operationsPerSecond: 100,
        p99Micros: 30,
        heapUsedMb: 20 + shard,
        rssMb: 90 + shard,
        cpuPercent: 50 * shard,
      },
    ],
    heapAfterGc: [],
    failures,
  };
}

test('merge(report(A), report(B)) equals report(A and B)', () => {
  const a = data(
    1,
    [0, 2],
    [failure('aaaaaaaaaaaaaaaa', 0), failure('bbbbbbbbbbbbbbbb', 2)],
    latencyA,
  );
  const b = data(2, [1, 3], [failure('bbbbbbbbbbbbbbbb', 1)], latencyB);
  const merged = mergeReports([buildReport(a), buildReport(b)]);
  const one = buildReport({
    ...a,
    shards: [...a.shards, ...b.shards],
    updatedAt: b.updatedAt,
    wallMs: 2000,
    batches: [...a.batches, ...b.batches],
    latency: {
      sequential: [histogramOf([...latencyA.sequential, ...latencyB.sequential])],
      interleaved: [histogramOf([...latencyA.interleaved, ...latencyB.interleaved])],
    },
    timeline: [...a.timeline, ...b.timeline],
    failures: [...a.failures, ...b.failures],
  });
  expect(merged).toEqual(one);
  // The failure found by both shards is one entry, its earliest finding, seen twice.
  expect(merged.failures.map((f) => [f.key, f.round, f.occurrences])).toEqual([
    ['aaaaaaaaaaaaaaaa', 0, 1],
    ['bbbbbbbbbbbbbbbb', 1, 2],
  ]);
  expect(merged.scenarios[0]?.latencyMicros).toMatchObject({ count: 7, max: 99_007 });
  expect(merged.resources.peakCpuPercent).toBe(100);
});

test('reports of different runs are not merged', () => {
  const a = buildReport(data(1, [0], [], latencyA));
  const b = buildReport({ ...data(2, [1], [], latencyB), baseSeed: 6 });
  expect(() => mergeReports([a, b])).toThrow(/different runs.*base seeds 5 and 6/);
});

test('a report file is validated when read: wrong format, version or fields are named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-report-'));
  writeReport(dir, buildReport(data(1, [0], [], latencyA)));
  expect(readReport(dir).batches).toHaveLength(2);
  const file = path.join(dir, 'report.json');
  const good = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const cases: [unknown, RegExp][] = [
    [{ ...good, version: 2 }, /report version 2; this stampede reads version 1/],
    [{ ...good, format: 'other' }, /not a Stampede report/],
    [{ ...good, totals: { cases: -1 } }, /field "totals.cases"/],
  ];
  for (const [content, message] of cases) {
    fs.writeFileSync(file, JSON.stringify(content));
    expect(() => readReport(dir)).toThrow(message);
  }
  fs.writeFileSync(file, '{"format":');
  expect(() => readReport(file)).toThrow(/not valid JSON/);
});

test('a batch note reads back, and shows in the Markdown and HTML reports', () => {
  const base = data(1, [0], [], latencyA);
  const note =
    'native memory grew 7900 B/call under store.getClient(2), but not in a fresh process';
  const noted = { ...base, batches: base.batches.map((b, i) => (i === 0 ? { ...b, note } : b)) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-report-'));
  writeReport(dir, buildReport(noted));
  expect(readReport(dir).batches[0]?.note).toBe(note);
  expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain(
    `## Notes\n\n- sequential, seed 0: ${note}`,
  );
  expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('<h2>Notes</h2>');
  // Merged shards keep their notes.
  const other = buildReport({ ...data(2, [1], [], latencyB) });
  expect(mergeReports([buildReport(noted), other]).batches.filter((b) => b.note)).toHaveLength(1);
});
