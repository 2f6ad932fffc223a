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
import { outputEquality, type Model } from './model';
import { shrinkViolation } from './witness-shrink';

export interface Projection<S, I, O> {
  /** e.g. `epic 12`, `task ids`: names the part of the state in reports. */
  readonly name: string;
  readonly model: Model<S, I, O>;
  /**
   * Its operations. May be built on each read (see `size`): the checker reads it once per
   * attempt, so a big history's projections need not all hold their operations at once.
   */
  readonly ops: readonly Operation<I, O>[];
  /** How many operations `ops` holds, when reading `ops` builds them. */
  readonly size?: number;
  /**
   * The operations a sub-history cannot do without (e.g. the creation of a row it reads):
   * shrinking a witness then removes operations but keeps what the rest depends on, so a witness
   * never "fails" merely because a creation was cut away.
   */
  readonly closure?: (ops: readonly Operation<I, O>[]) => Operation<I, O>[];
  /**
   * A cheap exact test of its operations that answers 'ok' only when a linearization certainly
   * exists (e.g. the order the outputs themselves imply); 'unsure' runs the search, which also
   * finds the witness. Default: `replayInRealTimeOrder` on `ops`. A projection that builds `ops`
   * on each read can test its own calls without building them.
   */
  readonly quickCheck?: () => 'ok' | 'unsure';
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
 * The default quick check: replays the operations in invoke order, then in response order (both
 * respect real time: an operation that returned before another was invoked comes first in each),
 * leaving out operations that never returned (a linearization may omit them). If every output
 * matches, that order is a linearization: 'ok' without a search, which is what nearly every
 * projection of a correct history gets. Assumes a valid history (validate once).
 */
export function replayInRealTimeOrder<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
): 'ok' | 'unsure' {
  return replayTimedInRealTimeOrder(model, ops, inputOfOp, outputOfOp);
}

const inputOfOp = <I, O>(op: Operation<I, O>): I => op.input;
const outputOfOp = <I, O>(op: Operation<I, O>): O => op.output;

/** What `replayTimedInRealTimeOrder` needs of a call: when it ran. */
export interface Timed {
  readonly invoke: number;
  readonly response: number;
}

/**
 * `replayInRealTimeOrder` over any timed records, each read through `inputOf` and `outputOf`:
 * a projection can replay its calls as they are, without first building operations of them.
 */
export function replayTimedInRealTimeOrder<S, I, O, T extends Timed>(
  model: Model<S, I, O>,
  all: readonly T[],
  inputOf: (item: T) => I,
  outputOf: (item: T) => O,
): 'ok' | 'unsure' {
  // Operations that never returned may be left out of a linearization: try without them.
  const ops = all.filter((op) => op.response !== Infinity);
  const equal = outputEquality(model);
  // `filter` made a copy already: sort it in place.
  ops.sort((a, b) => a.invoke - b.invoke || a.response - b.response);
  if (replaysInOrder(model, equal, ops, inputOf, outputOf)) return 'ok';
  ops.sort((a, b) => a.response - b.response || a.invoke - b.invoke);
  return replaysInOrder(model, equal, ops, inputOf, outputOf) ? 'ok' : 'unsure';
}

// A function of the module, not a closure made per call: under tsx every named closure costs a
// defineProperty (esbuild's keepNames) each time it is made, and this runs per projection.
function replaysInOrder<S, I, O, T>(
  model: Model<S, I, O>,
  equal: (expected: O, observed: O) => boolean,
  ordered: readonly T[],
  inputOf: (item: T) => I,
  outputOf: (item: T) => O,
): boolean {
  let state = model.init();
  for (const op of ordered) {
    const { output, state: next } = model.step(state, inputOf(op));
    if (!equal(output, outputOf(op))) return false;
    state = next;
  }
  return true;
}

/**
 * Checks every projection, smallest first, within one overall budget: each gets a fair share of
 * what is left (so one hard projection cannot starve the rest), and the first violation wins.
 * A projection's quick check (by default `replayInRealTimeOrder`) runs first; the caller validates the
 * history once (`validateHistory`), since the quick path does not.
 */
export function checkProjections<I, O>(
  projections: readonly Projection<unknown, I, O>[],
  options: CheckOptions = {},
): ProjectionResult<I, O> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const sizeOf = (p: Projection<unknown, I, O>) => p.size ?? p.ops.length;
  let waiting = [...projections].filter((p) => sizeOf(p) > 0).sort((a, b) => sizeOf(a) - sizeOf(b));
  const total = waiting.length;
  let explored = 0;
  // First pass: a fair share each; second pass: the undecided ones again, with all that is left.
  for (const fair of [true, false]) {
    const undecided: typeof waiting = [];
    for (const [k, projection] of waiting.entries()) {
      // Past the deadline the rest stay undecided: a small projection's check may never look
      // at the clock, so the loop has to.
      if (Date.now() >= deadline) {
        undecided.push(...waiting.slice(k));
        break;
      }
      if (
        fair &&
        (projection.quickCheck === undefined
          ? replayInRealTimeOrder(projection.model, projection.ops)
          : projection.quickCheck()) === 'ok'
      ) {
        continue;
      }
      const ops = projection.ops;
      const left = deadline - Date.now();
      const share = fair ? left / (waiting.length - k) : left;
      const result = checkLinearizability(projection.model, ops, {
        ...options,
        ...(share !== Infinity ? { timeoutMs: Math.max(1, share) } : {}),
        ...(projection.closure !== undefined ? { shrinkTimeoutMs: 0 } : {}),
      });
      explored += result.explored;
      if (result.verdict === 'violation') {
        const witness =
          projection.closure === undefined
            ? result.witness
            : shrinkWithin(projection, ops, result.witness, deadline, options);
        return {
          verdict: 'violation',
          projection: projection.name,
          witness,
          model: projection.model,
          explored,
        };
      }
      if (result.verdict === 'unknown') undecided.push(projection);
    }
    waiting = undecided;
    if (waiting.length === 0 || Date.now() >= deadline) break;
  }
  if (waiting.length > 0) {
    const names = waiting.map((p) => p.name);
    return {
      verdict: 'unknown',
      reason:
        `${names.length} of ${total} projections undecided in the time budget ` +
        `(${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
      checked: total - names.length,
      projections: total,
      explored,
    };
  }
  return { verdict: 'ok', projections: total, explored };
}

const DEFAULT_SHRINK_MS = 10_000;

/** Shrinks a violation to a 1-minimal set of operations, each time with what it depends on. */
function shrinkWithin<I, O>(
  projection: Projection<unknown, I, O>,
  all: readonly Operation<I, O>[],
  found: Witness<I, O>,
  deadline: number,
  options: CheckOptions,
): Witness<I, O> {
  const closure = projection.closure!;
  const until = Math.min(deadline, Date.now() + (options.shrinkTimeoutMs ?? DEFAULT_SHRINK_MS));
  const stillFails = (ops: readonly Operation<I, O>[]): boolean | 'timeout' => {
    const left = until - Date.now();
    if (left <= 0) return 'timeout';
    const result = checkLinearizability(projection.model, closure(ops), {
      timeoutMs: left,
      shrinkTimeoutMs: 0,
    });
    return result.verdict === 'unknown' ? 'timeout' : result.verdict === 'violation';
  };
  const { minimal, shrunk } = shrinkViolation(all, stillFails);
  const ids = new Set(closure(minimal).map((op) => op.id));
  // In time order, whatever order the closure added them in.
  return { ...found, minimal: all.filter((op) => ids.has(op.id)), shrunk };
}
