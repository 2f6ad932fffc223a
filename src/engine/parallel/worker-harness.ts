/**
 * The worker side of a parallel run, generic over the operations: waits for each round's `go`,
 * runs its lanes (concurrent logical clients on this thread, each strictly sequential) until
 * the round's deadline or quota, records every operation with invoke and return times on the
 * shared clock, and streams them to the main thread in batches, with heartbeats in between so
 * the main thread can tell a busy worker from a hung one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ArrivalSchedule, waitUntil } from './arrival-schedule';
import { sinceOrigin } from './clock';
import { BatchEncoder } from './batch-codec';
import {
  transferListOf,
  type InFlightOp,
  type MainToWorker,
  type RecordedOp,
  type WorkerToMain,
  type WorkloadFigures,
} from './protocol';

/** What a worker runs: one input after another per lane. */
export interface LaneWorkload<I, O> {
  readonly lanes: number;
  /** The lane's next input (it may depend on what the lane has observed so far). */
  next(lane: number): I;
  /** Runs the input; resolves with the observed output (errors as data, never a rejection). */
  execute(lane: number, input: I): Promise<O>;
  /** Before each round, with every lane idle: the round's own settings (`go.params`). */
  beginRound?(params: unknown): Promise<void>;
  /** Counters sent with every heartbeat and round end; `inFlight` = calls running right now. */
  figures?(inFlight: number): WorkloadFigures;
  close?(): Promise<void>;
}

/** Fields every parallel worker receives in `workerData`, besides its workload's own. */
export interface HarnessData {
  readonly entry: string;
  readonly index: number;
  /** `process.hrtime.bigint()` of the origin, as a decimal string (bigints are fine too). */
  readonly origin: string;
  readonly batchSize: number;
  readonly heartbeatMs: number;
}

export function harnessData(): HarnessData {
  return workerData as HarnessData;
}

export async function serveWorkload<I, O>(
  workload: LaneWorkload<I, O>,
  data: HarnessData = harnessData(),
): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('serveWorkload must run in a worker thread');
  const origin = BigInt(data.origin);
  const post = (message: WorkerToMain<I>) => port.postMessage(message);
  let batch: RecordedOp<I, O>[] = [];
  // Each lane's running call in slots, not an object per call: read only by heartbeats.
  const runningInput: (I | undefined)[] = Array.from({ length: workload.lanes }, () => undefined);
  const runningSince = new Float64Array(workload.lanes).fill(NaN);
  const inFlight = (): InFlightOp<I>[] => {
    const ops: InFlightOp<I>[] = [];
    for (let lane = 0; lane < workload.lanes; lane += 1) {
      const invoke = runningSince[lane]!;
      if (!Number.isNaN(invoke)) {
        const worker = data.index * workload.lanes + lane;
        ops.push({ worker, input: runningInput[lane] as I, invoke });
      }
    }
    return ops;
  };
  const encoder = new BatchEncoder();
  const flush = () => {
    if (batch.length === 0) return;
    const encoded = encoder.encode(batch);
    port.postMessage(
      { type: 'batch', batch: encoded } satisfies WorkerToMain<I>,
      transferListOf(encoded),
    );
    batch = [];
  };
  const figures = (): { figures?: WorkloadFigures } =>
    workload.figures === undefined ? {} : { figures: workload.figures(inFlight().length) };
  const heartbeat = setInterval(() => {
    flush();
    post({
      type: 'heartbeat',
      at: sinceOrigin(origin),
      inFlight: inFlight(),
      ...figures(),
    });
  }, data.heartbeatMs);
  const now = () => sinceOrigin(origin);
  type Go = Extract<MainToWorker, { type: 'go' }>;
  const lane = async (index: number, go: Go, arrivals: ArrivalSchedule | undefined) => {
    const worker = data.index * workload.lanes + index;
    // The deadline is checked against the last call's return: one clock reading less per call.
    let lastResponse = now();
    for (let done = 0; done < (go.maxOpsPerLane ?? Infinity); done += 1) {
      const intended = arrivals?.take();
      // Calls still due when the round ends are never made: a store that falls behind serves
      // fewer calls than were offered, instead of draining the backlog past the deadline.
      if (lastResponse >= go.untilNs || (intended ?? 0) >= go.untilNs) return;
      if (intended !== undefined) await waitUntil(intended, now);
      const input = workload.next(index);
      const invoke = now();
      runningInput[index] = input;
      runningSince[index] = invoke;
      const output = await workload.execute(index, input);
      const response = now();
      lastResponse = response;
      runningInput[index] = undefined;
      runningSince[index] = NaN;
      batch.push(
        intended === undefined
          ? { worker, input, output, invoke, response }
          : { worker, input, output, invoke, response, intended },
      );
      if (batch.length >= data.batchSize) flush();
      // Paced: a store whose calls never truly wait (better-sqlite3 is synchronous) resolves
      // them as microtasks, so without a turn of the event loop here the lanes that are due run
      // back to back and starve the timers of lanes waiting for their arrival time (measured:
      // calls due at 1.1 s started at 3.0 s). Closed rounds keep switching lanes at every await,
      // the finer interleaving that catches bugs of calls sharing one store instance.
      if (arrivals !== undefined) await yieldToEventLoop();
    }
  };
  const runRound = async (go: Go) => {
    await workload.beginRound?.(go.params);
    const arrivals =
      go.ratePerSecond === undefined ? undefined : new ArrivalSchedule(now(), go.ratePerSecond);
    await Promise.all(Array.from({ length: workload.lanes }, (_, k) => lane(k, go, arrivals)));
  };
  const stop = async () => {
    clearInterval(heartbeat);
    await workload.close?.();
    port.close();
  };
  port.on('message', (message: MainToWorker) => {
    if (message.type === 'stop') {
      void stop();
      return;
    }
    runRound(message)
      .then(() => {
        flush();
        post({ type: 'round-end', round: message.round, ...figures() });
      })
      .catch((error: unknown) => {
        flush();
        post({
          type: 'fatal',
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      });
  });
  post({ type: 'ready' });
}
