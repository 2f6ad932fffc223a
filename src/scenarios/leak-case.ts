/**
 * The leak property: a random command sequence runs for many rounds against one store while
 * the watcher measures what each round leaves behind. A leaking sequence fails the property,
 * and fast-check shrinks it to the shortest sequence that still leaks.
 */
import fc from 'fast-check';
import type { OpBuilder } from '../../models/arbitraries';
import { watchForLeak, type LeakReport, type LeakWatchSettings } from '../engine/leak/watcher';
import type { StoreFactory } from '../target/store-factory';
import { buildersOf, leakSequences, SequenceRounds } from './leak-sequence';
import { describeLeak } from './leak-report';
import type { ScratchDatabases } from './scratch-db';

export interface LeakCaseSettings {
  readonly watch: LeakWatchSettings;
  /** Calls per measured round: enough for a small leak to outgrow the noise of one sample. */
  readonly operationsPerRound: number;
  readonly maxCommands: number;
}

export interface LeakCaseOptions {
  readonly createStore: StoreFactory;
  readonly scratch: ScratchDatabases;
  readonly settings: LeakCaseSettings;
  /** Called when a case leaks (before shrinking): lets a caller time the first catch. */
  readonly onFailure?: () => void;
  /** Every case's report, leaking or not: the slopes of a clean run are figures too. */
  readonly onReport?: (report: LeakReport) => void;
}

export class LeakFailure extends Error {
  override readonly name = 'LeakFailure';

  constructor(
    readonly calls: readonly string[],
    readonly report: LeakReport,
  ) {
    super(describeLeak(calls, report));
  }
}

export function leakProperty(options: LeakCaseOptions) {
  return fc.asyncProperty(leakSequences(options.settings.maxCommands), async (calls) => {
    const sequence = buildersOf(calls);
    if (sequence.length === 0) return;
    const first = await watchSequence(sequence, options);
    options.onReport?.(first.report);
    if (!first.report.leaking) return;
    // A leak must show twice: one-off growth (a code path run for the first time in the
    // process, V8's caches filling) does not come back; a leak grows again on a fresh store.
    const again = await watchSequence(sequence, options);
    options.onReport?.(again.report);
    if (again.report.leaking) {
      options.onFailure?.();
      throw new LeakFailure(again.calls, again.report);
    }
  });
}

/** Runs one sequence under the watcher, on a fresh store that is closed afterwards. */
export async function watchSequence(
  sequence: readonly OpBuilder[],
  options: Pick<LeakCaseOptions, 'createStore' | 'scratch' | 'settings'>,
): Promise<{ readonly calls: readonly string[]; readonly report: LeakReport }> {
  const dbPath = options.scratch.next();
  const store = await options.createStore({ dbPath });
  try {
    const rounds = new SequenceRounds(sequence, store);
    const report = await watchForLeak(
      () => rounds.round(options.settings.operationsPerRound),
      options.settings.watch,
    );
    return { calls: rounds.calls, report };
  } finally {
    await store.close();
    options.scratch.discard(dbPath);
  }
}
