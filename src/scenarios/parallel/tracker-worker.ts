/**
 * Entry of one parallel worker thread (loaded through the engine's `.cjs` bootstrap): opens its
 * own store on the run's database file, then serves its lanes, each drawing calls from its own
 * seeded stream. `fault` makes it misbehave on purpose, for the tests of crash and hang detection.
 */
import { parentPort } from 'node:worker_threads';
import { applyToStore, type OpResult, type TrackerOp } from '../../../models/operations';
import { harnessData, serveWorkload, type HarnessData } from '../../engine/parallel/worker-harness';
import type { Mix } from './mixes';
import { OpStream } from './op-stream';
import { laneSeed } from './random';
import { factoryOf, type TargetSpec } from './target-spec';

export type WorkerFault =
  /** The thread exits (as a native crash would end it). */
  | { readonly kind: 'exit'; readonly afterOps: number }
  /** The thread's event loop blocks forever: no more heartbeats. */
  | { readonly kind: 'block'; readonly afterOps: number }
  /** One call never returns, while the thread stays responsive. */
  | { readonly kind: 'stall'; readonly afterOps: number };

export interface TrackerWorkerData {
  readonly target: TargetSpec;
  readonly dbPath: string;
  readonly seed: number;
  readonly lanes: number;
  readonly mix: Mix;
  readonly fault?: WorkerFault;
}

async function main(): Promise<void> {
  const data = harnessData() as HarnessData & TrackerWorkerData;
  const store = await factoryOf(data.target)({ dbPath: data.dbPath, poolSize: data.lanes });
  const streams = Array.from({ length: data.lanes }, (_, lane) => {
    const worker = data.index * data.lanes + lane;
    return new OpStream(laneSeed(data.seed, worker), worker, data.mix);
  });
  let calls = 0;
  await serveWorkload<TrackerOp, OpResult>({
    lanes: data.lanes,
    next: (lane) => streams[lane]!.next(),
    async execute(lane, op) {
      calls += 1;
      if (data.fault !== undefined && calls > data.fault.afterOps) await misbehave(data.fault);
      const result = await applyToStore(store, op);
      streams[lane]!.learn(op, result);
      return result;
    },
    close: () => store.close(),
  });
}

async function misbehave(fault: WorkerFault): Promise<void> {
  switch (fault.kind) {
    case 'exit':
      process.exit(3);
      break;
    case 'block':
      for (;;) {
        // a busy loop: the thread never yields again
      }
    case 'stall':
      await new Promise<never>(() => undefined);
  }
}

main().catch((error: unknown) => {
  parentPort?.postMessage({
    type: 'fatal',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
});
