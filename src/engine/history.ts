/** One completed or pending call in a concurrent history. */
export interface Operation<Input, Output> {
  /** Unique within the history. */
  readonly id: number;
  /** The client/worker/thread that issued it; a worker's operations never overlap in time. */
  readonly worker: number;
  readonly input: Input;
  /** Observed result (for errors: the typed error as data). Ignored for pending operations. */
  readonly output: Output;
  /** Invoke time on any monotone clock (ns or a logical counter). */
  readonly invoke: number;
  /**
   * Response time, >= invoke. `Infinity` marks an operation that never returned: it may or may
   * not have taken effect, so it may be linearized anywhere after its invoke or omitted.
   */
  readonly response: number;
}

export type HistoryErrorCode = 'duplicate-id' | 'invalid-time' | 'worker-overlap' | 'bad-partition';

/** A history (or a model's partition of it) that cannot be checked as given. */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';

  constructor(
    readonly code: HistoryErrorCode,
    message: string,
    /** The offending operation ids. */
    readonly opIds: readonly number[] = [],
  ) {
    super(message);
  }
}

export function isPending<I, O>(op: Operation<I, O>): boolean {
  return op.response === Infinity;
}

/** Real-time order: `a` returned strictly before `b` was invoked. */
export function precedes<I, O>(a: Operation<I, O>, b: Operation<I, O>): boolean {
  return a.response < b.invoke;
}

function formatInterval<I, O>(op: Operation<I, O>): string {
  return `op ${op.id} [${op.invoke}, ${op.response === Infinity ? '∞' : op.response}]`;
}

function checkTimes<I, O>(op: Operation<I, O>): void {
  if (!Number.isFinite(op.invoke)) {
    throw new HistoryError(
      'invalid-time',
      `op ${op.id}: invoke time must be a finite number, got ${op.invoke}`,
      [op.id],
    );
  }
  // NaN fails every comparison, so test it explicitly; Infinity (pending) is allowed.
  if (Number.isNaN(op.response) || op.response < op.invoke) {
    throw new HistoryError(
      'invalid-time',
      `op ${op.id}: response time ${op.response} must be >= invoke time ${op.invoke} (or Infinity if pending)`,
      [op.id],
    );
  }
}

/** A worker is sequential: each op must return strictly before its next op is invoked. */
function checkWorkersSequential<I, O>(history: readonly Operation<I, O>[]): void {
  const byWorker = new Map<number, Operation<I, O>[]>();
  for (const op of history) {
    const ops = byWorker.get(op.worker);
    if (ops) ops.push(op);
    else byWorker.set(op.worker, [op]);
  }
  for (const [worker, ops] of byWorker) {
    // Recorded histories arrive in each worker's order already: sort only when they do not.
    if (!inInvokeOrder(ops)) ops.sort((a, b) => a.invoke - b.invoke);
    for (let k = 1; k < ops.length; k++) {
      const prev = ops[k - 1]!;
      const cur = ops[k]!;
      if (!precedes(prev, cur)) {
        throw new HistoryError(
          'worker-overlap',
          `worker ${worker}: ${formatInterval(prev)} overlaps ${formatInterval(cur)}; ` +
            `a worker's operations must be sequential (previous response < next invoke)`,
          [prev.id, cur.id],
        );
      }
    }
  }
}

function inInvokeOrder<I, O>(ops: readonly Operation<I, O>[]): boolean {
  for (let k = 1; k < ops.length; k++) if (ops[k - 1]!.invoke > ops[k]!.invoke) return false;
  return true;
}

/** Throws a `HistoryError` unless ids are unique, times are sane and every worker is sequential. */
export function validateHistory<I, O>(history: readonly Operation<I, O>[]): void {
  const seen = idSet(history);
  for (const op of history) {
    if (seen(op.id)) {
      throw new HistoryError('duplicate-id', `duplicate operation id ${op.id}`, [op.id]);
    }
    checkTimes(op);
  }
  checkWorkersSequential(history);
}

/**
 * A test-and-add of ids. Recorded histories number their calls 0, 1, 2...: a bitmap over that
 * range is several times faster than a Set of 100k numbers. Other ids get the Set.
 */
function idSet<I, O>(history: readonly Operation<I, O>[]): (id: number) => boolean {
  let max = -1;
  for (const op of history) {
    if (!Number.isSafeInteger(op.id) || op.id < 0) return setOfIds();
    if (op.id > max) max = op.id;
  }
  if (max >= 4 * history.length + 64) return setOfIds();
  const bits = new Uint8Array(max + 1);
  return (id) => {
    if (bits[id] === 1) return true;
    bits[id] = 1;
    return false;
  };
}

function setOfIds(): (id: number) => boolean {
  const ids = new Set<number>();
  return (id) => {
    if (ids.has(id)) return true;
    ids.add(id);
    return false;
  };
}

/** Checks that `parts` covers `history` exactly: a dropped op could hide a violation. */
export function validatePartition<I, O>(
  history: readonly Operation<I, O>[],
  parts: readonly (readonly Operation<I, O>[])[],
): readonly (readonly Operation<I, O>[])[] {
  const ids = new Set(history.map((op) => op.id));
  const seen = new Set<number>();
  for (const op of parts.flat()) {
    if (!ids.has(op.id) || seen.has(op.id)) {
      throw new HistoryError('bad-partition', `partition: op ${op.id} is unknown or repeated`, [
        op.id,
      ]);
    }
    seen.add(op.id);
  }
  const missing = history.filter((op) => !seen.has(op.id)).map((op) => op.id);
  if (missing.length > 0) {
    throw new HistoryError('bad-partition', `partition dropped ops ${missing.join(', ')}`, missing);
  }
  return parts.filter((part) => part.length > 0);
}

/**
 * Interleaves per-partition linearizations into one order that respects real time: give each op
 * the earliest point max(previous point, invoke) — inside its interval, since each partition's
 * order respects real time — then sort by point, ties keeping partition order. Returns op ids.
 */
export function interleaveByRealTime<I, O>(
  parts: readonly (readonly Operation<I, O>[])[],
): number[] {
  if (parts.length === 1) return parts[0]!.map((op) => op.id);
  const points: { at: number; part: number; seq: number; id: number }[] = [];
  parts.forEach((ops, part) => {
    let at = -Infinity;
    ops.forEach((op, seq) => {
      at = Math.max(at, op.invoke);
      points.push({ at, part, seq, id: op.id });
    });
  });
  points.sort((a, b) => a.at - b.at || a.part - b.part || a.seq - b.seq);
  return points.map((p) => p.id);
}
