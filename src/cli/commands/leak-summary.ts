/** What `stampede leak` reports, as data (for --json) and as text. */
import { MEMORY_METRICS, type MemoryMetric } from '../../engine/leak/memory-sample';
import type { LeakReport } from '../../engine/leak/watcher';
import type { PropertyOutcome } from '../../engine/property-runner';
import type { LeakSearchResult } from '../../scenarios/leak-search';
import { describeGrowth } from '../../scenarios/leak-report';
import { median } from '../../scenarios/catalogue-run';
import { roundSlope, verdictFigures, type VerdictFigures } from '../../scenarios/leak-figures';

export interface LeakSummary {
  readonly target: string;
  readonly seed: number;
  readonly durationSeconds: number;
  /** Sequences measured (each for many rounds) and shrink steps taken. */
  readonly cases: number;
  readonly shrinks: number;
  readonly leakFound: boolean;
  readonly leak?: {
    readonly calls: readonly string[];
    readonly timeToCatchMs: number | undefined;
    readonly verdict: VerdictFigures;
    readonly growingTypes: readonly { readonly what: string; readonly sizeBytes: number }[];
    readonly path: string | undefined;
    readonly replay: string;
    readonly message: string;
  };
  /** Median and largest slope (bytes per call) of the sequences that did not leak. */
  readonly cleanSlopes: Readonly<Record<MemoryMetric, { median: number; max: number }>> | undefined;
  /** Duration parsing and formatting, measured the same way. */
  readonly duration: VerdictFigures | undefined;
}

export function summarizeLeakRun(
  target: string,
  search: LeakSearchResult,
  duration: LeakReport | undefined,
  replay: string,
  formatFailure: (outcome: PropertyOutcome<unknown>) => string,
): LeakSummary {
  const { outcome, failure, growth } = search;
  return {
    target,
    seed: outcome.seed,
    durationSeconds: Math.round(outcome.durationMs / 100) / 10,
    cases: outcome.numRuns,
    shrinks: outcome.numShrinks,
    leakFound: failure !== undefined || duration?.leaking === true,
    ...(failure !== undefined
      ? {
          leak: {
            calls: failure.calls,
            timeToCatchMs: search.timeToCatchMs,
            verdict: verdictFigures(failure.report),
            growingTypes: (growth?.types ?? []).map(({ what, sizeBytes }) => ({ what, sizeBytes })),
            path: outcome.path,
            replay,
            message: [
              formatFailure(outcome),
              ...(growth !== undefined ? ['', ...describeGrowth(growth)] : []),
            ].join('\n'),
          },
        }
      : {}),
    cleanSlopes: cleanSlopes(search.cleanReports),
    duration: duration === undefined ? undefined : verdictFigures(duration),
  };
}

function cleanSlopes(reports: readonly LeakReport[]): LeakSummary['cleanSlopes'] {
  if (reports.length === 0) return undefined;
  const figures = (metric: MemoryMetric) => {
    const slopes = reports.map((report) => report.verdicts[metric].overall.slope);
    return { median: roundSlope(median(slopes) ?? 0), max: roundSlope(Math.max(...slopes)) };
  };
  return { heap: figures('heap'), external: figures('external'), rss: figures('rss') };
}

export function formatLeakSummary(summary: LeakSummary): string {
  const lines = [
    `Stampede leak: repeated command sequences against ${summary.target}`,
    `  ${summary.leakFound ? 'LEAK FOUND' : 'NO LEAK'} in ${summary.durationSeconds} s ` +
      `(${summary.cases} sequence(s) measured, ${summary.shrinks} shrink(s))`,
  ];
  if (summary.cleanSlopes !== undefined) {
    lines.push('  sequences that did not leak, bytes retained per call (median / largest):');
    for (const metric of MEMORY_METRICS) {
      const { median: mid, max } = summary.cleanSlopes[metric];
      lines.push(`    ${metric.padEnd(9)} ${mid} / ${max}`);
    }
  }
  if (summary.duration !== undefined) {
    lines.push(
      `  duration parsing and formatting (${summary.duration.calls} calls, ` +
        `${summary.duration.rounds} rounds): ${summary.duration.leaking ? 'LEAK' : 'no leak'}`,
      ...slopeLines(summary.duration),
    );
  }
  lines.push(`  seed             ${summary.seed}`);
  if (summary.leak !== undefined) {
    const caught = summary.leak.timeToCatchMs;
    lines.push(
      '',
      ...(caught !== undefined
        ? [`First leaking sequence after ${(caught / 1000).toFixed(1)} s.`]
        : []),
      summary.leak.message,
    );
  }
  return lines.join('\n');
}

function slopeLines(figures: VerdictFigures): string[] {
  return MEMORY_METRICS.map((metric) => {
    const s = figures.slopes[metric];
    return (
      `    ${s.leaking ? 'LEAK' : 'ok  '} ${metric.padEnd(9)} ${s.bytesPerCall} B/call ` +
      `[${s.lower}, ${s.upper}] (minimum effect ${s.minBytesPerCall})`
    );
  });
}
