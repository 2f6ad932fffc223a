import { isPending, type Operation } from './history';
import { outputEquality, stableKey, type Model } from './model';

/** Why an operation could not be linearized next after the longest prefix. */
export type BlockReason =
  /** The spec gives `expected` but the operation observed something else. */
  | 'output-mismatch'
  /** The output matches (or the op is pending), but every continuation after it failed. */
  | 'dead-end'
  /** Some other unlinearized operation returned before this one was invoked. */
  | 'not-minimal-in-real-time';

export interface BlockedOp<I, O> {
  readonly op: Operation<I, O>;
  /** The spec's output at that point (absent when the op was not a real-time candidate). */
  readonly expected?: O;
  readonly reason: BlockReason;
}

export interface Witness<I, O> {
  /** The longest prefix of a linearization found (op ids) before every extension failed. */
  readonly longestPrefix: readonly number[];
  /** Ops that could not be placed next after that prefix, with the spec's expected output. */
  readonly blocked: readonly BlockedOp<I, O>[];
  /** A 1-minimal non-linearizable sub-history of the failing partition (or all of it if not `shrunk`). */
  readonly minimal: readonly Operation<I, O>[];
  /** False when shrinking ran out of time budget and `minimal` is the unshrunk partition. */
  readonly shrunk: boolean;
}

/**
 * Explains the dead end after `prefix`: the real-time-minimal ops with what the spec expected,
 * plus the non-minimal ops invoked while a candidate was still running (the ones a reader would
 * expect to be placeable next), each marked as not minimal.
 */
export function blockedAfter<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  prefix: readonly number[],
): BlockedOp<I, O>[] {
  const equal = outputEquality(model);
  const byId = new Map(ops.map((op) => [op.id, op]));
  let state = model.init();
  for (const id of prefix) state = model.step(state, byId.get(id)!.input).state;
  const placed = new Set(prefix);
  const rest = ops.filter((op) => !placed.has(op.id));
  // Reduce, not Math.min(...spread): partitions can be large enough to overflow the arg limit.
  const firstResponse = rest.reduce((t, op) => Math.min(t, op.response), Infinity);
  const candidates = rest.filter((op) => op.invoke <= firstResponse);
  const lastCandidateResponse = candidates
    .filter((op) => !isPending(op))
    .reduce((t, op) => Math.max(t, op.response), -Infinity);
  const blocked: BlockedOp<I, O>[] = candidates.map((op) => {
    const expected = model.step(state, op.input).output;
    const matches = isPending(op) || equal(expected, op.output);
    return { op, expected, reason: matches ? 'dead-end' : 'output-mismatch' };
  });
  for (const op of rest) {
    if (op.invoke > firstResponse && op.invoke <= lastCandidateResponse) {
      blocked.push({ op, reason: 'not-minimal-in-real-time' });
    }
  }
  return blocked;
}

/** Whether a sub-history is still non-linearizable, or 'timeout' when the budget ran out. */
export type StillFails<I, O> = (ops: readonly Operation<I, O>[]) => boolean | 'timeout';

/**
 * Greedy deletion to a 1-minimal failing sub-history. Pending ops are dropped up front: they may
 * always be omitted from a linearization, so they can never be needed for a violation. Then
 * chunks of halving size are deleted (a cheap ddmin-style pass), then single ops until no single
 * deletion keeps the violation. Deleting ops keeps the others' times, hence real-time and
 * per-worker order. Returns the unshrunk history when any check times out.
 */
export function shrinkViolation<I, O>(
  ops: readonly Operation<I, O>[],
  stillFails: StillFails<I, O>,
): { minimal: readonly Operation<I, O>[]; shrunk: boolean } {
  let current: readonly Operation<I, O>[] = ops.filter((op) => !isPending(op));
  for (let chunk = current.length >> 1; chunk >= 1; chunk >>= 1) {
    const next = deleteChunks(current, chunk, stillFails);
    if (next === 'timeout') return { minimal: ops, shrunk: false };
    current = next;
  }
  for (;;) {
    const next = deleteChunks(current, 1, stillFails);
    if (next === 'timeout') return { minimal: ops, shrunk: false };
    if (next.length === current.length) return { minimal: current, shrunk: true };
    current = next;
  }
}

function deleteChunks<I, O>(
  ops: readonly Operation<I, O>[],
  chunk: number,
  stillFails: StillFails<I, O>,
): readonly Operation<I, O>[] | 'timeout' {
  let current = ops;
  let i = 0;
  while (i < current.length) {
    const candidate = [...current.slice(0, i), ...current.slice(i + chunk)];
    const fails = stillFails(candidate);
    if (fails === 'timeout') return 'timeout';
    if (fails) current = candidate;
    else i += chunk;
  }
  return current;
}

/** Explains and shrinks a violation found in `ops` (one partition). */
export function buildWitness<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  longestPrefix: readonly number[],
  stillFails: StillFails<I, O>,
): Witness<I, O> {
  const blocked = blockedAfter(model, ops, longestPrefix);
  return { longestPrefix, blocked, ...shrinkViolation(ops, stillFails) };
}

/** A human-readable rendering of a witness, using the model's describe hooks when present. */
export function formatWitness<S, I, O>(model: Model<S, I, O>, witness: Witness<I, O>): string {
  const input = (i: I): string => (model.describeInput ? model.describeInput(i) : stableKey(i));
  const output = (o: O): string => (model.describeOutput ? model.describeOutput(o) : stableKey(o));
  const describe = (op: Operation<I, O>): string => {
    const result = isPending(op) ? 'pending' : output(op.output);
    const end = isPending(op) ? '∞' : String(op.response);
    return `#${op.id} w${op.worker} ${input(op.input)} -> ${result} [${op.invoke}, ${end}]`;
  };
  const blocked = witness.blocked.map(({ op, expected, reason }) => {
    const why = expected === undefined ? reason : `${reason}, spec expects ${output(expected)}`;
    return `  ${describe(op)}: ${why}`;
  });
  return [
    `longest linearizable prefix: [${witness.longestPrefix.join(', ')}]`,
    'blocked after it:',
    ...blocked,
    `${witness.shrunk ? 'minimal' : 'unshrunk'} non-linearizable sub-history:`,
    ...witness.minimal.map((op) => `  ${describe(op)}`),
  ].join('\n');
}
