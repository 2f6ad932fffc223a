/**
 * Figures of one load level, built as its calls stream in: response time (from the call's due
 * time in a paced level, so queueing shows) and service time in HDR histograms, overall and per
 * kind of call, and service failures by code. Nothing per call is kept here.
 */
import type { RecordedOp } from '../../engine/parallel/protocol';
import type { OpResult, TrackerOp } from '../../../models/operations';
import {
  newHistogram,
  recordMicros,
  summarizeLatency,
  type Histogram,
  type LatencySummary,
} from '../../report/latency';
import { serviceFailureOf } from './call-errors';

export interface KindLatency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface LevelFigures {
  readonly operations: number;
  /** From the first call's start to the last call's return, in ms. */
  readonly spanMs: number;
  readonly operationsPerSecond: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Response time in µs: from the due time (paced) or the start (closed model) to the return. */
  readonly latency: LatencySummary;
  /** Service time in µs: from the call's actual start to its return. */
  readonly service: LatencySummary;
  readonly byKind: Readonly<Record<string, KindLatency>>;
}

export class LevelMetrics {
  private readonly response = newHistogram();
  private readonly serviceTime = newHistogram();
  private readonly kinds = new Map<string, Histogram>();
  private readonly errorCodes = new Map<string, number>();
  private operations = 0;
  private errors = 0;
  private first = Infinity;
  private last = -Infinity;

  add(op: RecordedOp<TrackerOp, OpResult>): void {
    this.operations += 1;
    // Response time counts from the due time, or from the start if the call began early (a
    // call due within a timer tick starts at once).
    const start = op.intended === undefined ? op.invoke : Math.min(op.intended, op.invoke);
    const responseMicros = (op.response - start) / 1000;
    recordMicros(this.response, responseMicros);
    recordMicros(this.serviceTime, (op.response - op.invoke) / 1000);
    let kind = this.kinds.get(op.input.kind);
    if (kind === undefined) {
      kind = newHistogram();
      this.kinds.set(op.input.kind, kind);
    }
    recordMicros(kind, responseMicros);
    const failure = serviceFailureOf(op.output);
    if (failure !== undefined) {
      this.errors += 1;
      this.errorCodes.set(failure, (this.errorCodes.get(failure) ?? 0) + 1);
    }
    this.first = Math.min(this.first, op.invoke);
    this.last = Math.max(this.last, op.response);
  }

  figures(): LevelFigures {
    const spanMs = this.last > this.first ? (this.last - this.first) / 1e6 : 0;
    const byKind: Record<string, KindLatency> = {};
    for (const [kind, histogram] of [...this.kinds].sort(([a], [b]) => a.localeCompare(b))) {
      const summary = summarizeLatency(histogram);
      byKind[kind] = { count: summary.count, p50: summary.p50, p99: summary.p99, max: summary.max };
    }
    return {
      operations: this.operations,
      spanMs,
      operationsPerSecond: spanMs > 0 ? (this.operations * 1000) / spanMs : 0,
      errors: this.errors,
      errorRate: this.operations > 0 ? this.errors / this.operations : 0,
      errorsByCode: Object.fromEntries([...this.errorCodes].sort(([a], [b]) => a.localeCompare(b))),
      latency: summarizeLatency(this.response),
      service: summarizeLatency(this.serviceTime),
      byKind,
    };
  }
}
