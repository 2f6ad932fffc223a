/**
 * The worker side of a parallel run, generic over the operations: waits for each round's `go`,
 * runs its lanes (concurrent logical clients on this thread, each strictly sequential) until
 * the round's deadline or quota, records every operation with invoke and return times on the
 * shared clock, and streams them to the main thread in batches, with heartbeats in between so
 * the main thread can tell a busy worker from a hung one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sinceOrigin } from './clock';
import type { InFlightOp, MainToWorker, RecordedOp, WorkerToMain } from './protocol';

/** What a worker runs: one input after another per lane. */
export interface LaneWorkload<I, O> {
  readonly lanes: number;
  /** The lane's next input (it may depend on what the lane has observed so far). */
  next(lane: number): I;
  /** Runs the input; resolves with the observed output (errors as data, never a rejection). */
  execute(lane: number, input: I): Promise<O>;
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
  const post = (message: WorkerToMain<I, O>) => port.postMessage(message);
  let batch: RecordedOp<I, O>[] = [];
  const inFlight = new Map<number, InFlightOp<I>>();
  const flush = () => {
    if (batch.length === 0) return;
    post({ type: 'batch', ops: batch });
    batch = [];
  };
  const heartbeat = setInterval(() => {
    flush();
    post({ type: 'heartbeat', at: sinceOrigin(origin), inFlight: [...inFlight.values()] });
  }, data.heartbeatMs);
  const lane = async (index: number, go: Extract<MainToWorker, { type: 'go' }>) => {
    const worker = data.index * workload.lanes + index;
    for (let done = 0; done < (go.maxOpsPerLane ?? Infinity); done += 1) {
      if (sinceOrigin(origin) >= go.untilNs) return;
      const input = workload.next(index);
      const invoke = sinceOrigin(origin);
      inFlight.set(index, { worker, input, invoke });
      const output = await workload.execute(index, input);
      const response = sinceOrigin(origin);
      inFlight.delete(index);
      batch.push({ worker, input, output, invoke, response });
      if (batch.length >= data.batchSize) flush();
    }
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
    Promise.all(Array.from({ length: workload.lanes }, (_, k) => lane(k, message)))
      .then(() => {
        flush();
        post({ type: 'round-end', round: message.round });
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
