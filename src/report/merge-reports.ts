/**
 * `stampede report merge`: the reports of the shards of one run (same target, same base seed,
 * different shards) joined into the report of the whole run.
 */
import { buildReport, dataOf, type RunData } from './report-builder';
import type { Report } from './report-schema';

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

const STATUS_RANK: Readonly<Record<Report['status'], number>> = {
  completed: 0,
  running: 1,
  interrupted: 2,
};

export function mergeReports(reports: readonly Report[]): Report {
  const [first] = reports;
  if (first === undefined) throw new MergeError('nothing to merge: give at least one report');
  const shardNames = new Set<string>();
  for (const report of reports) {
    if (report.kind !== first.kind || report.target !== first.target) {
      throw new MergeError(
        `reports of different runs cannot be merged: ${first.kind} of ${first.target} and ` +
          `${report.kind} of ${report.target}`,
      );
    }
    if (report.baseSeed !== first.baseSeed) {
      throw new MergeError(
        `reports of different runs cannot be merged: base seeds ${first.baseSeed} and ` +
          `${report.baseSeed} (shards of one run share --seed)`,
      );
    }
    for (const shard of report.shards) {
      const name = `${shard.index}/${shard.count}`;
      if (shardNames.has(name)) {
        throw new MergeError(`shard ${name} appears in more than one report: merge it once`);
      }
      shardNames.add(name);
    }
  }
  const all = reports.map(dataOf);
  const latency: Record<string, string[]> = {};
  for (const data of all) {
    for (const [engine, encoded] of Object.entries(data.latency)) {
      (latency[engine] ??= []).push(...encoded);
    }
  }
  const merged: RunData = {
    kind: first.kind,
    status: all.reduce<Report['status']>(
      (worst, d) => (STATUS_RANK[d.status] > STATUS_RANK[worst] ? d.status : worst),
      'completed',
    ),
    target: first.target,
    baseSeed: first.baseSeed,
    shards: all.flatMap((d) => d.shards),
    startedAt: all.map((d) => d.startedAt).sort()[0] ?? first.startedAt,
    updatedAt: all.map((d) => d.updatedAt).sort()[all.length - 1] ?? first.updatedAt,
    // Shards run side by side: the run took as long as its longest shard.
    wallMs: Math.max(...all.map((d) => d.wallMs)),
    batches: all.flatMap((d) => d.batches),
    latency,
    timeline: all.flatMap((d) => d.timeline),
    heapAfterGc: all.flatMap((d) => d.heapAfterGc),
    failures: all.flatMap((d) => d.failures),
    ...(all.find((d) => d.leak)?.leak ? { leak: all.find((d) => d.leak)?.leak } : {}),
    ...(all.find((d) => d.breakpoint)?.breakpoint
      ? { breakpoint: all.find((d) => d.breakpoint)?.breakpoint }
      : {}),
  };
  return buildReport(merged);
}
