/** A leak watcher's verdict as plain figures: each metric's slope in bytes per call, rounded. */
import type { MemoryMetric } from '../engine/leak/memory-sample';
import type { LeakReport } from '../engine/leak/watcher';

export interface SlopeFigures {
  /** Bytes retained per call, and its 95% interval. */
  readonly bytesPerCall: number;
  readonly lower: number;
  readonly upper: number;
  readonly minBytesPerCall: number;
  readonly leaking: boolean;
}

export interface VerdictFigures {
  readonly leaking: boolean;
  readonly rounds: number;
  readonly calls: number;
  readonly slopes: Readonly<Record<MemoryMetric, SlopeFigures>>;
}

export function verdictFigures(report: LeakReport): VerdictFigures {
  const slope = (metric: MemoryMetric): SlopeFigures => {
    const verdict = report.verdicts[metric];
    return {
      bytesPerCall: roundSlope(verdict.overall.slope),
      lower: roundSlope(verdict.overall.lower),
      upper: roundSlope(verdict.overall.upper),
      minBytesPerCall: verdict.minBytesPerOp,
      leaking: verdict.leaking,
    };
  };
  return {
    leaking: report.leaking,
    rounds: report.rounds,
    calls: report.operations[report.operations.length - 1] ?? 0,
    slopes: { heap: slope('heap'), external: slope('external'), rss: slope('rss') },
  };
}

/** A slope to one decimal; an infinite or NaN one as it is. */
export function roundSlope(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : value;
}
