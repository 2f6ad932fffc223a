/**
 * Searches on every core: a trial of a planted bug (or of the correct store) runs in several
 * searcher threads at once, each on its own seed (see searcherSeed) and its own databases. The
 * first searcher to meet a failing case wins; the others are told to stop and end within one
 * case. The winner shrinks its case and checks its replay as a single-threaded trial would,
 * and its own seed goes into the replay command, so the reproduction needs no threads.
 *
 * Which searcher wins depends on timing, so the reported case may differ between two runs of
 * one seed; every reported case still replays exactly from its seed and path.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BOOTSTRAP } from '../../engine/parallel/run-workers';
import type { Trial } from '../catalogue-run';
import {
  searcherSeed,
  sharedNowMs,
  type FromSearcher,
  type ToSearcher,
  type TrialRequest,
  type TrialSpec,
} from './race-protocol';

const ENTRY = path.join(__dirname, 'race-worker.ts');

export interface SearcherResult {
  readonly searcher: number;
  readonly trial: Trial;
  readonly stopped: boolean;
}

export interface RaceResult {
  /** The winner's trial (its own seed), or a miss when no searcher failed. */
  readonly trial: Trial;
  /** Every searcher's own trial, for the record. */
  readonly searchers: readonly SearcherResult[];
}

/** Searchers by default: one per core, at least one. */
export function defaultSearchers(): number {
  return Math.max(1, os.availableParallelism());
}

export class SearchPool {
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>[] = [];
  private readonly exited: Promise<void>[] = [];
  private nextId = 1;
  private closed = false;
  /** Why a searcher is gone, if one ended outside close(): a race could not finish then. */
  private broken: Error | undefined;

  constructor(readonly size: number) {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new RangeError(`A search pool needs a whole number of searchers >= 1, not ${size}`);
    }
    for (let k = 0; k < size; k += 1) {
      const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY } });
      this.exited.push(
        new Promise<void>((resolve) => {
          worker.once('exit', (code) => {
            if (!this.closed) this.broken ??= new Error(`searcher ${k + 1} exited (code ${code})`);
            resolve();
          });
        }),
      );
      this.workers.push(worker);
      const ready = new Promise<void>((resolve, reject) => {
        const onMessage = (message: FromSearcher) => {
          if (message.type !== 'ready') return;
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
      });
      // Handled here too: a pool closed before its first race must not leave a rejection loose.
      ready.catch(() => undefined);
      this.ready.push(ready);
    }
  }

  /**
   * Runs the trial in every searcher; the one whose first failure is reported first wins. The
   * time to catch is the winner's, from the moment the race started.
   */
  async race(request: TrialSpec): Promise<RaceResult> {
    if (this.closed) throw new Error('The search pool is closed');
    await Promise.all(this.ready);
    if (this.broken !== undefined) throw this.broken;
    const id = this.nextId++;
    const startedAt = sharedNowMs();
    const caughtAt = new Map<number, number>();
    let leader: number | undefined;
    const results = await Promise.all(
      this.workers.map(
        (worker, searcher) =>
          new Promise<SearcherResult>((resolve, reject) => {
            const onMessage = (message: FromSearcher) => {
              if (message.type === 'ready' || message.id !== id) return;
              if (message.type === 'caught') {
                caughtAt.set(searcher, message.atMs);
                if (leader === undefined) {
                  leader = searcher;
                  this.stopAllBut(searcher, id);
                }
                return;
              }
              finish();
              if (message.type === 'failed') {
                this.stopAllBut(searcher, id);
                reject(new Error(`searcher ${searcher + 1} failed: ${message.error}`));
              } else {
                resolve({ searcher, trial: message.trial, stopped: message.stopped });
              }
            };
            const onError = (error: Error) => {
              finish();
              this.stopAllBut(searcher, id);
              reject(error);
            };
            const onExit = (code: number) => {
              finish();
              this.stopAllBut(searcher, id);
              reject(new Error(`searcher ${searcher + 1} exited (code ${code}) during a trial`));
            };
            const finish = () => {
              worker.off('message', onMessage);
              worker.off('error', onError);
              worker.off('exit', onExit);
            };
            worker.on('message', onMessage);
            worker.once('error', onError);
            worker.once('exit', onExit);
            const message: TrialRequest = {
              ...request,
              type: 'trial',
              id,
              seed: searcherSeed(request.seed, searcher),
            };
            worker.postMessage(message satisfies ToSearcher);
          }),
      ),
    );
    return { trial: winnerOf(results, leader, caughtAt, startedAt), searchers: results };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const worker of this.workers) worker.postMessage({ type: 'close' } satisfies ToSearcher);
    // A searcher that does not end by itself is ended: closing must not hang.
    const timer = setTimeout(() => {
      for (const worker of this.workers) void worker.terminate();
    }, 5_000);
    await Promise.all(this.exited);
    clearTimeout(timer);
  }

  private stopAllBut(winner: number, id: number): void {
    this.workers.forEach((worker, searcher) => {
      if (searcher !== winner) worker.postMessage({ type: 'stop', id } satisfies ToSearcher);
    });
  }
}

function winnerOf(
  results: readonly SearcherResult[],
  leader: number | undefined,
  caughtAt: ReadonlyMap<number, number>,
  startedAt: number,
): Trial {
  // The first to fail wins; should its trial not hold a failure after all, the next one does.
  const rank = (r: SearcherResult) =>
    r.searcher === leader ? -Infinity : (caughtAt.get(r.searcher) ?? Infinity);
  const byCatch = results
    .filter((r) => r.trial.caught && caughtAt.has(r.searcher))
    .sort((a, b) => rank(a) - rank(b));
  const winner = byCatch[0];
  if (winner === undefined) {
    // No searcher failed: the trial's own seed missed (its figures are those of searcher 0).
    return (results.find((r) => r.searcher === 0) ?? results[0]!).trial;
  }
  const at = caughtAt.get(winner.searcher) ?? startedAt;
  return { ...winner.trial, timeToCatchMs: at - startedAt };
}
