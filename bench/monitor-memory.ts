/**
 * `npx tsx --expose-gc bench/monitor-memory.ts [--minutes 10] [--every-ms 5]`: does the resource
 * monitor's own memory stay flat however long it runs? Runs a ResourceMonitor sampling every
 * `--every-ms` (a gauge plugged in) beside a synthetic load (CPU slices and short-lived
 * allocations, with a fixed-size live set), forces a GC every 10 s and records the heap used
 * after it. Prints the checkpoints and the Theil–Sen slope of that heap in KB/min with its 95%
 * interval, and writes bench/monitor-memory.json.
 *
 * The heap is the whole process's: the slope bounds the monitor's growth together with V8's
 * own drift (compiled code, a run that is short for the optimiser), not the monitor's alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { theilSen } from '../src/engine/leak/slope';
import { ResourceMonitor } from '../src/engine/monitor/resource-monitor';

interface Options {
  readonly minutes: number;
  readonly everyMs: number;
}

interface Checkpoint {
  readonly elapsedS: number;
  readonly heapUsedMb: number;
  readonly samples: number;
}

const CHECKPOINT_MS = 10_000;
const RESULTS_PATH = path.join(__dirname, 'monitor-memory.json');
const MB = 1024 * 1024;

function positiveFlag(argv: readonly string[], name: string, fallback: number): number {
  const flag = `--${name}`;
  const index = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (index < 0) return fallback;
  const arg = argv[index] as string;
  const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${flag} wants a positive number, got ${JSON.stringify(text ?? '')}`);
  }
  return value;
}

function parseOptions(argv: readonly string[]): Options {
  return { minutes: positiveFlag(argv, 'minutes', 10), everyMs: positiveFlag(argv, 'every-ms', 5) };
}

interface Load {
  readonly slices: () => number;
  stop(): void;
}

/**
 * About 2 ms of work every 4 ms: objects and strings that die young, stored over a fixed ring so
 * the load's own live set stays the same size.
 */
function startSyntheticLoad(): Load {
  const ring: unknown[] = new Array(1024).fill(undefined);
  let slices = 0;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const slice = () => {
    const until = performance.now() + 2;
    while (performance.now() < until) {
      const item = {
        id: next,
        label: `item-${next}`,
        values: Array.from({ length: 16 }, (_, i) => i * next),
      };
      ring[next % ring.length] = JSON.parse(JSON.stringify(item));
      next += 1;
    }
    slices += 1;
    timer = setTimeout(slice, 2);
  };
  slice();
  return {
    slices: () => slices,
    stop: () => clearTimeout(timer),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined)
    throw new Error('run with --expose-gc (npx tsx --expose-gc bench/monitor-memory.ts)');
  return gc;
}

function table(checkpoints: readonly Checkpoint[]): string {
  const header = ['elapsed s', 'heap after GC MB', 'monitor samples'];
  const rows = checkpoints.map((c) => [
    String(c.elapsedS),
    c.heapUsedMb.toFixed(2),
    String(c.samples),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]) =>
    row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)].join(
    '\n',
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const gc = requireGc();
  const monitor = new ResourceMonitor({ everyMs: options.everyMs });
  const load = startSyntheticLoad();
  monitor.addGauge('loadSlices', load.slices);
  monitor.start();
  const startedMs = performance.now();
  const durationMs = options.minutes * 60_000;
  const checkpoints: Checkpoint[] = [];
  const checkpoint = () => {
    gc();
    checkpoints.push({
      elapsedS: Math.round((performance.now() - startedMs) / 1000),
      heapUsedMb: process.memoryUsage().heapUsed / MB,
      samples: monitor.samples,
    });
  };
  checkpoint();
  for (let at = CHECKPOINT_MS; at <= durationMs; at += CHECKPOINT_MS) {
    await sleep(Math.max(0, startedMs + at - performance.now()));
    checkpoint();
  }
  load.stop();
  monitor.stop();

  const slope = theilSen(
    checkpoints.map((c) => c.elapsedS / 60),
    checkpoints.map((c) => c.heapUsedMb * 1024),
  );
  const summary = monitor.summary();
  const footprint = monitor.footprint();
  console.log(
    `monitor every ${options.everyMs} ms for ${options.minutes} min, GC and heap every ${CHECKPOINT_MS / 1000} s`,
  );
  console.log(table(checkpoints));
  console.log(
    `heap after GC slope: ${slope.slope.toFixed(1)} KB/min (95% interval ${slope.lower.toFixed(1)} .. ${slope.upper.toFixed(1)}, ${slope.points} points)`,
  );
  console.log(
    `monitor: ${summary.samples} samples, timeline ${footprint.timelinePoints}/${footprint.timelineCapacity} points ` +
      `(${summary.samplesPerPoint} samples each), histograms ${(footprint.histogramBytes / 1024).toFixed(0)} KB`,
  );
  const { peaks } = summary;
  console.log(
    `process: CPU mean ${peaks.cpuPercentMean.toFixed(1)}% (peak sample ${peaks.peakCpuPercent.toFixed(1)}%), ` +
      `ELU mean ${peaks.eluMean.toFixed(2)}, event-loop delay p99 ${peaks.eventLoopDelayP99Ms.toFixed(1)} ms ` +
      `(max ${peaks.eventLoopDelayMaxMs.toFixed(1)} ms), peak RSS ${peaks.peakRssMb.toFixed(1)} MB`,
  );
  const { timeline: _timeline, ...summaryWithoutTimeline } = summary;
  fs.writeFileSync(
    RESULTS_PATH,
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        node: process.version,
        options,
        checkpointEveryMs: CHECKPOINT_MS,
        checkpoints,
        // An interval end JSON cannot hold (too few points) is written as null.
        heapSlopeKbPerMin: slope,
        footprint,
        summary: summaryWithoutTimeline,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${path.relative(process.cwd(), RESULTS_PATH)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
