/**
 * Messages between the main thread and a parallel worker. Plain data only (structured clone).
 * The main thread starts each round with `go`; the worker streams `batch`es of recorded
 * operations and `heartbeat`s while it runs, then `round-end` (or `fatal` when its own code
 * fails in a way it can still report).
 */

/** An operation as a worker records it: times on the shared clock, ns since the run's origin. */
export interface RecordedOp<I, O> {
  /** Logical client (thread x lane): its operations never overlap in time. */
  readonly worker: number;
  readonly input: I;
  readonly output: O;
  readonly invoke: number;
  readonly response: number;
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
    }
  | { readonly type: 'stop' };

export type WorkerToMain<I, O> =
  | { readonly type: 'ready' }
  | { readonly type: 'batch'; readonly ops: readonly RecordedOp<I, O>[] }
  | { readonly type: 'heartbeat'; readonly at: number; readonly inFlight: readonly InFlightOp<I>[] }
  | { readonly type: 'round-end'; readonly round: number }
  | { readonly type: 'fatal'; readonly error: string };
