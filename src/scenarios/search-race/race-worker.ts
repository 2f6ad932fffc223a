/**
 * Entry of one searcher thread (loaded through the parallel engine's `.cjs` bootstrap): runs
 * the catalogue trials it is sent, one at a time, on its own scratch databases, and says when
 * each first fails, so the pool can stop the searchers racing it.
 */
import { parentPort } from 'node:worker_threads';
import { trialOf } from '../catalogue-run';
import { factoryOf } from '../parallel/target-spec';
import { ScratchDatabases } from '../scratch-db';
import {
  sharedNowMs,
  type FromSearcher,
  type ToSearcher,
  type TrialRequest,
} from './race-protocol';

const port = parentPort;
if (port === null) throw new Error('race-worker must run in a worker thread');
const post = (message: FromSearcher) => port.postMessage(message);
const scratch = new ScratchDatabases('stampede-searcher-');
const stopRequested = new Set<number>();

async function run(request: TrialRequest): Promise<void> {
  const shouldStop = () => stopRequested.has(request.id);
  try {
    const trial = await trialOf(
      request.engine,
      factoryOf(request.target),
      request.seed,
      { scratch, budget: request.budget, scheduleKind: request.scheduleKind },
      request.checkReplay,
      request.reuseDatabase,
      {
        shouldStop,
        onCaught: () => post({ type: 'caught', id: request.id, atMs: sharedNowMs() }),
      },
    );
    post({ type: 'done', id: request.id, trial, stopped: shouldStop() });
  } catch (error) {
    post({
      type: 'failed',
      id: request.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  } finally {
    stopRequested.delete(request.id);
  }
}

port.on('message', (message: ToSearcher) => {
  switch (message.type) {
    case 'stop':
      stopRequested.add(message.id);
      break;
    case 'close':
      scratch.removeAll();
      port.close();
      break;
    default:
      void run(message);
  }
});
post({ type: 'ready' });
