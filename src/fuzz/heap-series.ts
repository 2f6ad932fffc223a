/**
 * A leak report's JS-heap series on a time axis, for the report's heap chart: the samples at
 * the times they were taken, and a Theil–Sen trend in MB per hour. The watcher judged the same
 * samples against calls run; on a time axis the line shows how fast that growth would add up.
 */
import type { LeakReport } from '../engine/leak/watcher';
import { theilSen } from '../engine/leak/slope';
import type { HeapSeries } from './engines';

const MB = 1024 * 1024;
const MS_PER_HOUR = 3_600_000;

/** `startedAt`: performance.now() at the batch's start (the series' time zero). */
export function heapSeriesOf(report: LeakReport, startedAt: number): HeapSeries {
  const xs = report.sampledAtMs.map((at) => at - startedAt);
  const ys = report.samples.map((s) => s.heap / MB);
  const fit = theilSen(xs, ys);
  const slope = Number.isFinite(fit.slope) ? fit.slope : 0;
  // Theil–Sen's intercept: the median of what each sample puts it at, given the slope.
  const intercepts = ys.map((y, i) => y - slope * (xs[i] as number)).sort((a, b) => a - b);
  const mid = Math.floor(intercepts.length / 2);
  const interceptMb =
    intercepts.length === 0
      ? 0
      : intercepts.length % 2 === 1
        ? (intercepts[mid] as number)
        : ((intercepts[mid - 1] as number) + (intercepts[mid] as number)) / 2;
  // The watcher's verdict over all its series (a leak of native memory leaves the heap flat).
  const flat = Object.values(report.verdicts).every((v) => v.clearlyFlat);
  return {
    samples: xs.map((elapsedMs, i) => ({
      elapsedMs: Math.max(0, elapsedMs),
      heapMb: Math.max(0, Math.round((ys[i] as number) * 100) / 100),
    })),
    slopeMbPerHour: Math.round(slope * MS_PER_HOUR * 100) / 100,
    interceptMb: Math.round(interceptMb * 100) / 100,
    verdict: report.leaking ? 'leak' : flat ? 'no-leak' : 'inconclusive',
  };
}
