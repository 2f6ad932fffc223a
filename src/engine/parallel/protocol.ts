/**
 * Messages between the main thread and a parallel worker. Plain data only (structured clone).
 * The main thread starts each round with `go`; the worker streams `batch`es of recorded
 * operations and `heartbeat`s while it runs, then `round-end` (or `fatal` when its own code
 * fails in a way it can still report).
 */
import { decodeBatchValues, type EncodedBatch } from './batch-codec';

/** An operation as a worker records it: times on the shared clock, ns since the run's origin. */
export interface RecordedOp<I, O> {
  /** Logical client (thread x lane): its operations never overlap in time. */
  readonly worker: number;
  readonly input: I;
  readonly output: O;
  readonly invoke: number;
  readonly response: number;
  /**
   * In a paced round: when the call was due by the arrival schedule (ns since the origin). A
   * lane that falls behind starts late, and the wait counts in the call's response time, so an
   * overloaded store shows it (no coordinated omission).
   */
  readonly intended?: number;
}

/** An operation started and not yet returned, as of a heartbeat. */
export interface InFlightOp<I> {
  readonly worker: number;
  readonly input: I;
  readonly invoke: number;
}

export type MainToWorker =
  | {
      readonly type: 'go';
      readonly round: number;
      /** Lanes start no new operation after this time (ns since the origin). */
      readonly untilNs: number;
      /** ...or after this many operations each in this round. */
      readonly maxOpsPerLane?: number;
      /**
       * Open model: this thread's calls arrive at this many per second, shared by its lanes; a
       * lane waits for the next arrival. Without it, lanes call back to back (closed model).
       */
      readonly ratePerSecond?: number;
      /** The workload's own settings for this round (plain data), given to `beginRound`. */
      readonly params?: unknown;
    }
  | { readonly type: 'stop' };

export type WorkerToMain<I> =
  | { readonly type: 'ready' }
  /**
   * Recorded operations, encoded by the worker (batch-codec) and transferred: the main thread
   * keeps them encoded while the round runs (decoding is its biggest per-call cost, and it
   * shares the cores with the workers) and decodes them at the round's end (`decodeBatch`).
   */
  | { readonly type: 'batch'; readonly batch: EncodedBatch }
  | {
      readonly type: 'heartbeat';
      readonly at: number;
      readonly inFlight: readonly InFlightOp<I>[];
      readonly figures?: WorkloadFigures;
    }
  | { readonly type: 'round-end'; readonly round: number; readonly figures?: WorkloadFigures }
  | { readonly type: 'fatal'; readonly error: string };

export function decodeBatch<I, O>(batch: EncodedBatch): RecordedOp<I, O>[] {
  return decodeBatchValues(batch) as RecordedOp<I, O>[];
}

/** The buffers of a batch, to transfer rather than copy. */
export function transferListOf(batch: EncodedBatch): ArrayBuffer[] {
  return [batch.tags.buffer as ArrayBuffer, batch.numbers.buffer as ArrayBuffer];
}

/** Counters a workload reports about itself (pool figures, retries...), sampled with its calls. */
export type WorkloadFigures = Readonly<Record<string, number>>;
