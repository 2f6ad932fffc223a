/** An oracle for the checker's 'ok' answers that shares none of its code. */
import type { Operation } from '../../src/engine/history';
import type { CheckResult } from '../../src/engine/linearizability';
import { deepEqual, type Model } from '../../src/engine/model';

/** Independent oracle: is `order` a valid linearization of `history` under `model`? */
export function linearizationError<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  order: readonly number[],
): string | undefined {
  const byId = new Map(history.map((o) => [o.id, o]));
  if (new Set(order).size !== order.length) return 'repeated id';
  const placed = new Set(order);
  const missing = history.filter((o) => o.response !== Infinity && !placed.has(o.id));
  if (missing.length > 0) return `completed ops missing: ${missing.map((o) => o.id).join(',')}`;
  let state = model.init();
  let maxInvoke = -Infinity;
  for (const id of order) {
    const o = byId.get(id);
    if (!o) return `unknown id ${id}`;
    // Some earlier-placed op was invoked after this one returned: real-time order broken.
    if (maxInvoke > o.response) return `op ${id} placed after an op invoked after it returned`;
    maxInvoke = Math.max(maxInvoke, o.invoke);
    const { output, state: next } = model.step(state, o.input);
    if (o.response !== Infinity && !deepEqual(output, o.output)) return `op ${id} output mismatch`;
    state = next;
  }
  return undefined;
}

export function expectOk<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  result: CheckResult<I, O>,
): void {
  expect(result.verdict).toBe('ok');
  if (result.verdict === 'ok') {
    expect(linearizationError(model, history, result.linearization)).toBeUndefined();
  }
}

/**
 * Brute force, for tiny histories: tries every order of every choice of pending ops to include,
 * pruning only by the oracle's own rules. True iff some order is a valid linearization.
 */
export function linearizableByBruteForce<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
): boolean {
  const extend = (order: number[], left: readonly Operation<I, O>[]): boolean => {
    if (linearizationError(model, history, order) === undefined) return true;
    return left.some((next, k) => {
      const longer = [...order, next.id];
      if (!validPrefix(model, history, longer)) return false;
      return extend(longer, [...left.slice(0, k), ...left.slice(k + 1)]);
    });
  };
  return extend([], history);
}

/** Whether `order` could begin a linearization: real time respected, every output matched. */
function validPrefix<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  order: readonly number[],
): boolean {
  const placed = new Set(order);
  const unplaced = history.filter((o) => !placed.has(o.id));
  const sub = history.filter((o) => placed.has(o.id) || o.response === Infinity);
  // Completed ops left out are judged later; as a prefix, only what is placed must be right.
  const asIfDone = sub.map((o) => (placed.has(o.id) ? o : { ...o, response: Infinity }));
  if (linearizationError(model, asIfDone, order) !== undefined) return false;
  // No op left out may have returned before a placed op was invoked.
  const latestInvoke = Math.max(...order.map((id) => history.find((o) => o.id === id)!.invoke));
  return unplaced.every((o) => o.response >= latestInvoke);
}
