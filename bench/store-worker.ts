/**
 * The store in a worker thread without the parallel engine: the same seeded stream of calls the
 * engine's lane draws, applied to the store and learnt from, but nothing recorded, batched or
 * watched. Between the raw threads and the engine, it tells the store's own cost from the
 * engine's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyToStore } from '../models/operations';
import type { Mix } from '../src/scenarios/parallel/mixes';
import { OpStream } from '../src/scenarios/parallel/op-stream';
import { laneSeed } from '../src/scenarios/parallel/random';
import { SqliteTracker } from '../src/tracker';

interface StoreWorkerData {
  readonly dbPath: string;
  readonly mix: Mix;
  readonly seed: number;
  readonly worker: number;
  readonly ms: number;
  readonly startAt: number;
}

async function main(): Promise<void> {
  const data = workerData as StoreWorkerData;
  const store = new SqliteTracker({ dbPath: data.dbPath, poolSize: 1 });
  const stream = new OpStream(laneSeed(data.seed, data.worker), data.worker, data.mix);
  while (Date.now() < data.startAt) {
    // all threads start together
  }
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(data.ms) * 1_000_000n;
  let ops = 0;
  while (process.hrtime.bigint() < deadline) {
    const op = stream.next();
    stream.learn(op, await applyToStore(store, op));
    ops += 1;
  }
  const elapsedNs = Number(process.hrtime.bigint() - started);
  await store.close();
  parentPort?.postMessage({ ops, elapsedNs });
}

void main();
