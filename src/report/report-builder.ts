/**
 * Builds the report from what a run collected. Every figure is derived here from the raw
 * records (batches, histograms, samples, failures), which the report keeps; merging reports
 * therefore collects their records and builds again, giving exactly the report of one run that
 * made all of their batches.
 */
import {
  REPORT_FORMAT,
  REPORT_VERSION,
  type BatchRecord,
  type BreakpointSection,
  type FailureRecord,
  type HeapPoint,
  type LeakSection,
  type Report,
  type SamplePoint,
  type ScenarioReport,
} from './report-schema';
import { summarizeLatency, sumHistograms } from './latency';

export interface RunData {
  readonly kind: Report['kind'];
  readonly status: Report['status'];
  readonly target: string;
  readonly baseSeed: number;
  readonly shards: readonly { index: number; count: number }[];
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly wallMs: number;
  readonly batches: readonly BatchRecord[];
  /** Encoded latency histograms (microseconds) per engine. */
  readonly latency: Readonly<Record<string, readonly string[]>>;
  readonly timeline: readonly SamplePoint[];
  readonly heapAfterGc: readonly HeapPoint[];
  readonly failures: readonly FailureRecord[];
  readonly leak?: LeakSection;
  readonly breakpoint?: BreakpointSection;
}

/** Engines in the order reports list them; others follow alphabetically. */
const ENGINE_ORDER = ['sequential', 'interleaved', 'parallel', 'leak'];

function engineRank(name: string): [number, string] {
  const i = ENGINE_ORDER.indexOf(name);
  return [i < 0 ? ENGINE_ORDER.length : i, name];
}

function byEngine(a: string, b: string): number {
  const [ra, na] = engineRank(a);
  const [rb, nb] = engineRank(b);
  return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
}

/** The same failure found by several batches (or shards) is one entry: its earliest finding. */
export function dedupeFailures(failures: readonly FailureRecord[]): FailureRecord[] {
  const byKey = new Map<string, FailureRecord>();
  for (const failure of failures) {
    const seen = byKey.get(failure.key);
    if (seen === undefined) {
      byKey.set(failure.key, failure);
      continue;
    }
    const first = failure.round < seen.round ? failure : seen;
    byKey.set(failure.key, {
      ...first,
      savedFile: first.savedFile ?? failure.savedFile ?? seen.savedFile,
      occurrences: seen.occurrences + failure.occurrences,
    });
  }
  return [...byKey.values()].sort(
    (a, b) => a.round - b.round || byEngine(a.engine, b.engine) || (a.key < b.key ? -1 : 1),
  );
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function scenarioOf(
  name: string,
  batches: readonly BatchRecord[],
  latency: readonly string[],
  failures: readonly FailureRecord[],
): ScenarioReport {
  const sum = (pick: (b: BatchRecord) => number) => batches.reduce((n, b) => n + pick(b), 0);
  const operations = sum((b) => b.operations);
  const errors = sum((b) => b.errors);
  const engineMs = round1(sum((b) => b.durationMs));
  const distinct = failures.filter((f) => f.engine === name).length;
  return {
    name,
    passed: distinct === 0,
    cases: sum((b) => b.cases),
    operations,
    errors,
    failures: distinct,
    engineMs,
    operationsPerSecond: engineMs > 0 ? round1((operations * 1000) / engineMs) : 0,
    errorRate: operations > 0 ? Math.round((errors / operations) * 1e6) / 1e6 : 0,
    latencyMicros: summarizeLatency(sumHistograms(latency)),
  };
}

export function buildReport(data: RunData): Report {
  const batches = [...data.batches].sort(
    (a, b) => a.round - b.round || byEngine(a.engine, b.engine),
  );
  const failures = dedupeFailures(data.failures);
  const engines = [...new Set([...batches.map((b) => b.engine), ...Object.keys(data.latency)])];
  const scenarios = engines.sort(byEngine).map((name) =>
    scenarioOf(
      name,
      batches.filter((b) => b.engine === name),
      data.latency[name] ?? [],
      failures,
    ),
  );
  const timeline = [...data.timeline].sort(
    (a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || a.elapsedMs - b.elapsedMs,
  );
  const heapAfterGc = [...data.heapAfterGc].sort(
    (a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || a.elapsedMs - b.elapsedMs,
  );
  const peak = (pick: (s: SamplePoint) => number) =>
    timeline.reduce((max, s) => Math.max(max, pick(s)), 0);
  const sum = (pick: (s: ScenarioReport) => number) => scenarios.reduce((n, s) => n + pick(s), 0);
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    kind: data.kind,
    status: data.status,
    target: data.target,
    baseSeed: data.baseSeed,
    shards: [...data.shards].sort((a, b) => a.count - b.count || a.index - b.index),
    startedAt: data.startedAt,
    updatedAt: data.updatedAt,
    wallMs: round1(data.wallMs),
    passed: failures.length === 0,
    totals: {
      cases: sum((s) => s.cases),
      operations: sum((s) => s.operations),
      errors: sum((s) => s.errors),
      failures: failures.length,
    },
    resources: {
      peakRssMb: peak((s) => s.rssMb),
      peakHeapUsedMb: peak((s) => s.heapUsedMb),
      peakCpuPercent: peak((s) => s.cpuPercent),
    },
    scenarios,
    batches,
    timeline,
    heapAfterGc,
    failures,
    ...(data.leak ? { leak: data.leak } : {}),
    ...(data.breakpoint ? { breakpoint: data.breakpoint } : {}),
  };
}

/** The records a report was built from (building them again gives the same report). */
export function dataOf(report: Report): RunData {
  return {
    kind: report.kind,
    status: report.status,
    target: report.target,
    baseSeed: report.baseSeed,
    shards: report.shards,
    startedAt: report.startedAt,
    updatedAt: report.updatedAt,
    wallMs: report.wallMs,
    batches: report.batches,
    latency: Object.fromEntries(report.scenarios.map((s) => [s.name, [s.latencyMicros.histogram]])),
    timeline: report.timeline,
    heapAfterGc: report.heapAfterGc,
    failures: report.failures,
    ...(report.leak ? { leak: report.leak } : {}),
    ...(report.breakpoint ? { breakpoint: report.breakpoint } : {}),
  };
}
