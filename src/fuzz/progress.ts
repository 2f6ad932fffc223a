/**
 * The live progress of a fuzz run: one line rewritten in place on a terminal, plain lines every
 * so often otherwise (CI logs, redirected output).
 */
import { formatDurationMs } from './duration-flag';
import type { SamplePoint } from '../report/report-schema';

export interface ProgressState {
  readonly elapsedMs: number;
  readonly plannedMs: number;
  readonly cases: number;
  readonly operations: number;
  readonly failures: number;
  readonly recent: readonly SamplePoint[];
}

/** MB per minute of heap used, fitted over the recent samples (least squares). */
export function heapTrendMbPerMinute(samples: readonly SamplePoint[]): number | undefined {
  if (samples.length < 3) return undefined;
  const xs = samples.map((s) => s.elapsedMs / 60_000);
  const ys = samples.map((s) => s.heapUsedMb);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? undefined : num / den;
}

export function progressLine(state: ProgressState): string {
  const last = state.recent[state.recent.length - 1];
  const trend = heapTrendMbPerMinute(state.recent);
  const heap =
    last === undefined
      ? 'heap -'
      : `heap ${last.heapUsedMb} MB` +
        (trend === undefined ? '' : ` (${trend >= 0 ? '+' : ''}${trend.toFixed(1)} MB/min)`);
  const opsPerSecond =
    last?.operationsPerSecond ??
    Math.round((state.operations * 1000) / Math.max(state.elapsedMs, 1));
  const eta = Math.max(state.plannedMs - state.elapsedMs, 0);
  return [
    `elapsed ${formatDurationMs(state.elapsedMs)}`,
    `cases ${state.cases.toLocaleString('en-US')}`,
    `${opsPerSecond.toLocaleString('en-US')} ops/s`,
    `failures ${state.failures}`,
    heap,
    `ETA ${formatDurationMs(eta)}`,
  ].join(' | ');
}

export class ProgressDisplay {
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly state: () => ProgressState,
    private readonly out: NodeJS.WriteStream,
    /** Interval of the plain lines when the output is not a terminal. */
    private readonly plainEveryMs: number,
  ) {}

  get live(): boolean {
    return this.out.isTTY === true;
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), this.live ? 1_000 : this.plainEveryMs);
  }

  draw(): void {
    const line = progressLine(this.state());
    if (this.live) {
      this.out.write(`\r\u001b[K${line}`);
      this.drawn = true;
    } else {
      this.out.write(`progress: ${line}\n`);
    }
  }

  /** Leaves the terminal on a fresh line so later output is not glued to the progress. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
