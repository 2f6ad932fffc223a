/**
 * Judges a parallel history of tracker calls: the fast path checks it projection by projection
 * (docs/CHECKER.md), and a history small enough is also checked exactly, all of it against the
 * whole model (lists and cross-row constraints included). A violation from either is real and
 * comes with a 1-minimal witness; a time-out gives "unknown" with what was checked.
 */
import { checkLinearizability, type Witness } from '../../engine/linearizability';
import type { Model } from '../../engine/model';
import { checkProjections } from '../../engine/projections';
import type { TrackerSnapshot } from '../../../models/invariants';
import type { OpResult } from '../../../models/operations';
import { trackerLinModel, type LinInput } from '../../../models/tracker-lin-model';
import type { TrackerState } from '../../../models/tracker-state';
import { validateHistory, type Operation } from '../../engine/history';
import type { ProjectedInput } from './projected-models';
import { trackerProjections, type TrackerOperation } from './tracker-projections';

export interface ParallelCheckOptions {
  /** Budget of the whole check (both paths). */
  readonly timeoutMs: number;
  /** Histories up to this many calls are also checked exactly. */
  readonly exactUpTo: number;
}

export const DEFAULT_CHECK: ParallelCheckOptions = { timeoutMs: 30_000, exactUpTo: 400 };

export type ParallelViolation =
  | {
      readonly method: 'projections';
      readonly projection: string;
      readonly witness: Witness<ProjectedInput, OpResult>;
      readonly model: Model<unknown, ProjectedInput, OpResult>;
    }
  | {
      readonly method: 'exact';
      readonly projection: 'whole history';
      readonly witness: Witness<LinInput, OpResult>;
      readonly model: Model<TrackerState, LinInput, OpResult>;
    };

export interface ParallelCheck {
  readonly verdict: 'ok' | 'violation' | 'unknown';
  readonly violation?: ParallelViolation;
  /** For 'unknown': what could not be decided. */
  readonly reason?: string;
  readonly operations: number;
  readonly projections: number;
  /** Calls the fast path does not judge (the exact check did, when it ran). */
  readonly unchecked: number;
  readonly exact: 'ok' | 'unknown' | 'skipped';
  readonly elapsedMs: number;
}

/**
 * A call that gave up with BUSY may or may not have taken effect, and one that found no
 * connection in time (POOL_TIMEOUT) was not served: neither answer is the model's to predict,
 * so they count as pending (placed anywhere after their invoke, or left out) and the load
 * engine counts them as errors instead. Its worker went on with other calls, so it moves to a
 * worker of its own, keeping the worker's later calls valid; that only ever allows more orders,
 * so it can hide nothing that would be a violation.
 */
const UNSERVED: ReadonlySet<string> = new Set(['BUSY', 'POOL_TIMEOUT']);

export function busyAsPending(history: readonly TrackerOperation[]): readonly TrackerOperation[] {
  // Most histories have none: no copy of 100k calls then.
  if (!history.some(isUnserved)) return history;
  return history.map((op) =>
    isUnserved(op)
      ? {
          ...op,
          worker: -2 - op.id,
          output: undefined as unknown as OpResult,
          response: Infinity,
        }
      : op,
  );
}

function isUnserved(op: TrackerOperation): boolean {
  return op.response !== Infinity && !op.output.ok && UNSERVED.has(op.output.code);
}

export function checkParallelHistory(
  raw: readonly TrackerOperation[],
  initial: TrackerState,
  final: TrackerSnapshot | undefined,
  options: ParallelCheckOptions = DEFAULT_CHECK,
): ParallelCheck {
  const started = performance.now();
  const history = busyAsPending(raw);
  validateHistory(history);
  const { projections, unchecked } = trackerProjections(history, initial, final);
  const fast = checkProjections(projections, { timeoutMs: options.timeoutMs });
  const base = {
    operations: history.length,
    projections: projections.length,
    unchecked,
    elapsedMs: 0,
  };
  const done = (check: Omit<ParallelCheck, 'elapsedMs'>): ParallelCheck => ({
    ...check,
    elapsedMs: performance.now() - started,
  });
  if (fast.verdict === 'violation') {
    return done({
      ...base,
      verdict: 'violation',
      exact: 'skipped',
      violation: {
        method: 'projections',
        projection: fast.projection,
        witness: fast.witness,
        model: fast.model,
      },
    });
  }
  if (history.length > options.exactUpTo) {
    return done({
      ...base,
      verdict: fast.verdict,
      exact: 'skipped',
      ...(fast.verdict === 'unknown' ? { reason: fast.reason } : {}),
    });
  }
  const model = trackerLinModel(initial);
  const left = Math.max(1, options.timeoutMs - (performance.now() - started));
  const exact = checkLinearizability(model, withFinal(history, final), { timeoutMs: left });
  if (exact.verdict === 'violation') {
    return done({
      ...base,
      verdict: 'violation',
      exact: 'unknown',
      violation: { method: 'exact', projection: 'whole history', witness: exact.witness, model },
    });
  }
  if (exact.verdict === 'ok') return done({ ...base, verdict: 'ok', exact: 'ok' });
  return done({
    ...base,
    verdict: fast.verdict === 'ok' && unchecked === 0 ? 'ok' : 'unknown',
    exact: 'unknown',
    reason: fast.verdict === 'unknown' ? fast.reason : `exact check: ${exact.reason}`,
  });
}

/** The history with the final contents as one more observation, after every call. */
export function withFinal(
  history: readonly TrackerOperation[],
  final: TrackerSnapshot | undefined,
): Operation<LinInput, OpResult>[] {
  if (final === undefined) return [...history];
  const last = history.reduce(
    (t, op) => Math.max(t, op.response === Infinity ? op.invoke : op.response),
    0,
  );
  const id = history.reduce((m, op) => Math.max(m, op.id), 0) + 1;
  return [
    ...history,
    {
      id,
      worker: -1,
      input: { kind: 'finalState' },
      output: { ok: true, value: final },
      invoke: last + 1,
      response: last + 1,
    },
  ];
}
