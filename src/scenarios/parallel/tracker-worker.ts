/**
 * Entry of one parallel worker thread (loaded through the engine's `.cjs` bootstrap): opens its
 * own store on the run's database file, then serves its lanes, each drawing calls from its own
 * seeded stream. `fault` makes it misbehave on purpose, for the tests of crash and hang detection.
 */
import { parentPort } from 'node:worker_threads';
import { applyToStore, type OpResult, type TrackerOp } from '../../../models/operations';
import type { WorkloadFigures } from '../../engine/parallel/protocol';
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

/**
 * A round's own settings (load levels): a fresh database file, pool size, mix or seed. Any of
 * them given reopens the store and restarts the lanes' streams, so each level starts alike.
 */
export interface TrackerRoundParams {
  readonly dbPath?: string;
  readonly poolSize?: number;
  readonly mix?: Mix;
  readonly seed?: number;
}

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
  const factory = factoryOf(data.target);
  let settings = { dbPath: data.dbPath, poolSize: data.lanes, mix: data.mix, seed: data.seed };
  const streamsOf = () =>
    Array.from({ length: data.lanes }, (_, lane) => {
      const worker = data.index * data.lanes + lane;
      return new OpStream(laneSeed(settings.seed, worker), worker, settings.mix);
    });
  let store = await factory({ dbPath: settings.dbPath, poolSize: settings.poolSize });
  let streams = streamsOf();
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
    async beginRound(raw) {
      const params = (raw ?? {}) as TrackerRoundParams;
      if (Object.keys(params).length === 0) return;
      const reopen = params.dbPath !== undefined || params.poolSize !== undefined;
      settings = { ...settings, ...params };
      calls = 0; // figures count this round's calls
      if (reopen) {
        await store.close();
        store = await factory({ dbPath: settings.dbPath, poolSize: settings.poolSize });
      }
      streams = streamsOf();
    },
    figures(inFlight): WorkloadFigures {
      const pool = store.poolFigures?.();
      if (pool === undefined) return { calls };
      return {
        calls,
        poolSize: pool.size,
        inUse: pool.inUse,
        waiting: pool.waiting,
        queuedAcquires: pool.queuedAcquires,
        acquireTimeouts: pool.acquireTimeouts,
        busyRetries: pool.busyRetries,
        // Each running call holds at most one connection: any more are held by nobody.
        leakedConnections: Math.max(0, pool.inUse - inFlight),
      };
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
