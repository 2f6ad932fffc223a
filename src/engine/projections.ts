/**
 * Checking a big history through projections: each projection is a sub-history with a small
 * model of just the part of the state those operations touch, checked exactly by
 * `checkLinearizability`. When a projection is a faithful abstraction (every linearization of
 * the whole history, restricted to the projection's operations, is a linearization of the
 * projection under its model), a violation in any projection is a violation of the whole: so
 * every violation reported here is real. The converse needs the projections to cover every
 * constraint; what a given set of projections cannot see is its author's to document.
 */
import type { Operation } from './history';
import { checkLinearizability, type CheckOptions, type Witness } from './linearizability';
import type { Model } from './model';

export interface Projection<S, I, O> {
  /** e.g. `epic 12`, `task ids`: names the part of the state in reports. */
  readonly name: string;
  readonly model: Model<S, I, O>;
  readonly ops: readonly Operation<I, O>[];
}

export type ProjectionResult<I, O> =
  | { readonly verdict: 'ok'; readonly projections: number; readonly explored: number }
  | {
      readonly verdict: 'violation';
      readonly projection: string;
      readonly witness: Witness<I, O>;
      /** The projection's model, to describe the witness. */
      readonly model: Model<unknown, I, O>;
      readonly explored: number;
    }
  | {
      readonly verdict: 'unknown';
      readonly reason: string;
      readonly checked: number;
      readonly projections: number;
      readonly explored: number;
    };

/**
 * Checks every projection, smallest first, within one overall budget: each gets a fair share of
 * what is left (so one hard projection cannot starve the rest), and the first violation wins.
 */
export function checkProjections<I, O>(
  projections: readonly Projection<unknown, I, O>[],
  options: CheckOptions = {},
): ProjectionResult<I, O> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const sorted = [...projections].sort((a, b) => a.ops.length - b.ops.length);
  let explored = 0;
  const undecided: string[] = [];
  for (const [k, projection] of sorted.entries()) {
    if (projection.ops.length === 0) continue;
    const left = deadline - Date.now();
    const share = left === Infinity ? undefined : Math.max(1, left / (sorted.length - k));
    const result = checkLinearizability(projection.model, projection.ops, {
      ...options,
      ...(share !== undefined ? { timeoutMs: share } : {}),
    });
    explored += result.explored;
    if (result.verdict === 'violation') {
      return {
        verdict: 'violation',
        projection: projection.name,
        witness: result.witness,
        model: projection.model,
        explored,
      };
    }
    if (result.verdict === 'unknown') undecided.push(projection.name);
  }
  if (undecided.length > 0) {
    return {
      verdict: 'unknown',
      reason: `${undecided.length} of ${sorted.length} projections undecided in the time budget (${undecided.slice(0, 5).join(', ')}${undecided.length > 5 ? ', ...' : ''})`,
      checked: sorted.length - undecided.length,
      projections: sorted.length,
      explored,
    };
  }
  return { verdict: 'ok', projections: sorted.length, explored };
}
