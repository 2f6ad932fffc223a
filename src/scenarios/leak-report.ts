/** Leak verdicts as people read them: the calls, then each series' slope and interval. */
import type { MemoryMetric } from '../engine/leak/memory-sample';
import type { SlopeEstimate } from '../engine/leak/slope';
import type { LeakReport } from '../engine/leak/watcher';
import type { HeapGrowth } from '../engine/leak/heap-diff';

const METRIC_LABELS: Readonly<Record<MemoryMetric, string>> = {
  heap: 'JS heap after GC',
  external: 'external memory',
  rss: 'resident memory outside the JS heap (RSS - heap committed)',
};

export function describeLeak(calls: readonly string[], report: LeakReport): string {
  return [
    `Memory grows while this sequence repeats (${report.rounds} rounds, ` +
      `${lastOf(report.operations)} calls measured):`,
    ...calls.map((call, i) => `  ${i + 1}. ${call}`),
    ...describeSlopes(report),
  ].join('\n');
}

export function describeSlopes(report: LeakReport): string[] {
  return (Object.keys(METRIC_LABELS) as MemoryMetric[]).map((metric) => {
    const verdict = report.verdicts[metric];
    const mark = verdict.leaking ? 'LEAK' : 'ok  ';
    return (
      `  ${mark} ${METRIC_LABELS[metric].padEnd(22)} ${formatSlope(verdict.overall)} ` +
      `(minimum effect ${verdict.minBytesPerOp} B/call)`
    );
  });
}

export function formatSlope(estimate: SlopeEstimate): string {
  return (
    `${bytes(estimate.slope)}/call, 95% interval [${bytes(estimate.lower)}, ` +
    `${bytes(estimate.upper)}]`
  );
}

export function describeGrowth(growth: HeapGrowth): string[] {
  return [
    `Heap diff over the repeated sequence: ${bytes(growth.sizeBytes)} retained; growing types:`,
    ...growth.types.map(
      (type) =>
        `  ${type.what.padEnd(24)} +${bytes(type.sizeBytes)} ` +
        `(${type.allocated} allocated, ${type.freed} freed)`,
    ),
  ];
}

function bytes(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+inf B' : '-inf B';
  const magnitude = Math.abs(value);
  if (magnitude >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MB`;
  if (magnitude >= 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${value.toFixed(1)} B`;
}

function lastOf(values: readonly number[]): number {
  return values[values.length - 1] ?? 0;
}
