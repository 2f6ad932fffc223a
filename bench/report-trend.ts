/**
 * The tester's own memory trend over a long run, from its report: Theil-Sen slopes (with 95%
 * intervals) of RSS and heap over the report's timeline, leaving out the first minutes
 * (start-up, JIT, caches filling). `npx tsx bench/report-trend.ts stampede-report/report.json`
 */
import fs from 'node:fs';
import { theilSen } from '../src/engine/leak/slope';
import { reportSchema } from '../src/report/report-schema';

const [file, skipArg, windowArg] = process.argv.slice(2);
if (file === undefined) {
  console.error(
    'usage: tsx bench/report-trend.ts <report.json> [skip-minutes=2] [window-minutes=1]',
  );
  process.exit(2);
}
const skipMs = Number(skipArg ?? 2) * 60_000;
const windowMs = Number(windowArg ?? 1) * 60_000;
const report = reportSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
const points = report.timeline.filter((p) => p.elapsedMs >= skipMs);
if (points.length < 3) {
  console.error(`only ${points.length} timeline points after ${skipMs / 60_000} min`);
  process.exit(2);
}
const minutes = points.map((p) => p.elapsedMs / 60_000);
for (const [name, values] of [
  ['rss', points.map((p) => p.rssMb)],
  ['heap used', points.map((p) => p.heapUsedMb)],
] as const) {
  const fit = theilSen(minutes, values);
  const sorted = [...values].sort((a, b) => a - b);
  console.log(
    `${name}: ${fit.slope.toFixed(3)} MB/min (95% interval ${fit.lower.toFixed(3)} .. ` +
      `${fit.upper.toFixed(3)}), ${points.length} points from minute ${(skipMs / 60_000).toFixed(0)}, ` +
      `range ${sorted[0]} .. ${sorted[sorted.length - 1]} MB`,
  );
}
// The floor the process comes back to: the lowest sample of each window. Batches raise RSS
// and heap for a while (a parallel round's history, a leak search's rounds); a leak raises the
// floor, the sawtooth does not.
for (const [name, values] of [
  ['rss floor', points.map((p) => p.rssMb)],
  ['heap floor', points.map((p) => p.heapUsedMb)],
] as const) {
  const floors = new Map<number, number>();
  // Only whole windows: the run's last sample alone in a partial window is no floor (it is
  // wherever the run stopped, often mid-batch).
  const lastWhole = Math.floor(report.wallMs / windowMs) * windowMs;
  points.forEach((p, k) => {
    if (p.elapsedMs >= lastWhole) return;
    const minute = (Math.floor(p.elapsedMs / windowMs) * windowMs) / 60_000;
    floors.set(minute, Math.min(floors.get(minute) ?? Infinity, values[k] as number));
  });
  const minutesOf = [...floors.keys()];
  const fit = theilSen(minutesOf, [...floors.values()]);
  console.log(
    `${name}: ${fit.slope.toFixed(3)} MB/min (95% interval ${fit.lower.toFixed(3)} .. ` +
      `${fit.upper.toFixed(3)}) over ${minutesOf.length} minima of ${windowMs / 60_000}-minute windows, first ` +
      `${floors.get(minutesOf[0] as number)} MB, last ${floors.get(minutesOf[minutesOf.length - 1] as number)} MB`,
  );
}
console.log(
  `run: ${(report.wallMs / 60_000).toFixed(1)} min, ${report.totals.cases} cases, ` +
    `${report.totals.operations} calls, ${report.totals.failures} failures`,
);
