import {
  interleaveByRealTime,
  isPending,
  validateHistory,
  validatePartition,
  type Operation,
} from './history';
import { outputEquality, stateKeyer, type Model } from './model';
import { buildWitness, type Witness } from './witness-shrink';

export type { BlockedOp, BlockReason, Witness } from './witness-shrink';
export { formatWitness } from './witness-shrink';

export interface CheckOptions {
  /** Overall budget (search of every partition plus witness shrinking). Default: none. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extra cap on witness shrinking, so a found violation is reported promptly. Default 10 s. */
  shrinkTimeoutMs?: number;
}

export type CheckResult<I, O> =
  | { verdict: 'ok'; linearization: readonly number[]; explored: number }
  | { verdict: 'violation'; witness: Witness<I, O>; explored: number }
  | {
      verdict: 'unknown';
      reason: string;
      explored: number;
      checkedPartitions: number;
      totalPartitions: number;
    };

const DEFAULT_SHRINK_MS = 10_000;
const NIL = -1;
const HEAD = 0;
/** Iterations between clock/abort checks: cheap enough, and bounds overrun to ~1k steps. */
const CHECK_EVERY = 1023;

type RunStatus = 'ok' | 'violation' | 'paused';

/**
 * Entries 1..E are call/return events sorted by time (calls first on ties: a.response ===
 * b.invoke is concurrent), linked from HEAD. `matchOf` maps a call entry to its return entry.
 */
function buildEventList<I, O>(ops: readonly Operation<I, O>[]) {
  const events: { time: number; call: number; op: number }[] = [];
  ops.forEach((op, i) => {
    events.push({ time: op.invoke, call: 1, op: i });
    if (!isPending(op)) events.push({ time: op.response, call: 0, op: i });
  });
  events.sort((a, b) => a.time - b.time || b.call - a.call || a.op - b.op);
  const size = events.length + 1;
  const list = {
    next: Int32Array.from({ length: size }, (_, e) => (e + 1 < size ? e + 1 : NIL)),
    prev: Int32Array.from({ length: size }, (_, e) => e - 1),
    entryOp: new Int32Array(size),
    isCall: new Uint8Array(size),
    matchOf: new Int32Array(size).fill(NIL),
  };
  const callEntry = new Int32Array(ops.length);
  events.forEach((ev, k) => {
    list.entryOp[k + 1] = ev.op;
    list.isCall[k + 1] = ev.call;
    if (ev.call === 1) callEntry[ev.op] = k + 1;
    else list.matchOf[callEntry[ev.op]!] = k + 1;
  });
  return list;
}

/**
 * Wing & Gong search with Lowe's memoization over one (sub-)history, in the style of Porcupine.
 * Call and return events sit in a doubly linked list sorted by time (calls before returns on
 * ties, since a.response === b.invoke is concurrent). The candidates to linearize next are the
 * calls before the first return in the list: exactly the ops with no unlinearized op returning
 * before their invoke. Linearizing an op unlinks its call and return (dancing links), so undoing
 * it on backtrack is O(1). Pending ops have no return event: they never block anyone and need not
 * be linearized. Reads the model declares (`readOnly`) are committed as soon as they match, without
 * branching, so concurrent reads cost a step each instead of multiplying the orders to try. The
 * DFS keeps an explicit stack, and can pause at a deadline and resume later.
 */
class Search<S, I, O> {
  explored = 0;
  private readonly ops: readonly Operation<I, O>[];
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly entryOp: Int32Array;
  private readonly isCall: Uint8Array;
  private readonly matchOf: Int32Array;
  /** Ops the model declares reads: committed without branching (see `Model.readOnly`). */
  private readonly readOnly: Uint8Array;
  /** Linearized ops, by index in invoke order. */
  private readonly bits: Uint32Array;
  private readonly stackEntry: Int32Array;
  /** Highest op index linearized so far at each depth, bounding the bitset slice in keys. */
  private readonly stackMax: Int32Array;
  private readonly stackState: S[] = [];
  private readonly seen = new Set<string>();
  private readonly equal: (expected: O, observed: O) => boolean;
  private readonly keyOf: (state: S) => string;
  /** Each distinct state key as a small number, so memo keys stay short (state keys are long). */
  private readonly stateIds = new Map<string, number>();
  /** The number of a state object already keyed: a read hands its state on unchanged. */
  private readonly idOfState = new WeakMap<object, number>();
  private depth = 0;
  private cursor: number;
  private state: S;
  private completedLeft: number;
  /** Longest dead-end prefix seen (as entries); `agree` = how much of it the stack still shares. */
  private readonly best: Int32Array;
  private bestLength = 0;
  private agree = 0;

  constructor(
    private readonly model: Model<S, I, O>,
    history: readonly Operation<I, O>[],
  ) {
    this.ops = [...history].sort((a, b) => a.invoke - b.invoke || a.id - b.id);
    const n = this.ops.length;
    ({
      next: this.next,
      prev: this.prev,
      entryOp: this.entryOp,
      isCall: this.isCall,
      matchOf: this.matchOf,
    } = buildEventList(this.ops));
    this.readOnly = Uint8Array.from(this.ops, (op) => (model.readOnly?.(op.input) ? 1 : 0));
    this.bits = new Uint32Array((n >>> 5) + 1);
    [this.stackEntry, this.stackMax, this.best] = [
      new Int32Array(n),
      new Int32Array(n),
      new Int32Array(n),
    ];
    this.equal = outputEquality(model);
    this.keyOf = stateKeyer(model);
    this.cursor = this.next[HEAD]!;
    this.state = model.init();
    this.completedLeft = this.ops.filter((op) => !isPending(op)).length;
  }

  /** Searches until a verdict, or returns 'paused' (resumable) at the deadline or on abort. */
  run(deadline: number, signal?: AbortSignal): RunStatus {
    for (let iter = 0; ; iter++) {
      if (this.completedLeft === 0) return 'ok';
      if ((iter & CHECK_EVERY) === 0 && (signal?.aborted || Date.now() > deadline)) return 'paused';
      if (this.cursor !== NIL && this.isCall[this.cursor] === 1) {
        this.tryLinearize(this.cursor);
      } else if (this.depth === 0) {
        return 'violation';
      } else {
        this.backtrack();
      }
    }
  }

  linearization(): Operation<I, O>[] {
    return Array.from(this.stackEntry.subarray(0, this.depth), (e) => this.ops[this.entryOp[e]!]!);
  }

  longestPrefix(): number[] {
    return Array.from(
      this.best.subarray(0, this.bestLength),
      (e) => this.ops[this.entryOp[e]!]!.id,
    );
  }

  /**
   * Steps the candidate; descends if the output matches and the configuration is new, else moves
   * the cursor on. A matching read is the node's only choice: if some completion exists from here,
   * one starts with the read (no op must precede it, and it changes no state), so once the read's
   * configuration fails, so does the node, and the cursor ends the node's candidates.
   */
  private tryLinearize(entry: number): void {
    const i = this.entryOp[entry]!;
    const op = this.ops[i]!;
    this.explored++;
    const result = this.model.step(this.state, op.input);
    if (!isPending(op) && !this.equal(result.output, op.output)) {
      this.cursor = this.next[entry]!;
      return;
    }
    this.lift(entry);
    this.bits[i >>> 5]! |= 1 << (i & 31);
    const max = Math.max(i, this.depth > 0 ? this.stackMax[this.depth - 1]! : NIL);
    const key = this.configKey(max, result.state);
    if (this.seen.has(key)) {
      this.bits[i >>> 5]! &= ~(1 << (i & 31));
      this.unlift(entry);
      this.cursor = this.readOnly[i] === 1 ? NIL : this.next[entry]!;
      return;
    }
    this.seen.add(key);
    this.stackEntry[this.depth] = entry;
    this.stackMax[this.depth] = max;
    this.stackState.push(this.state);
    this.depth++;
    this.state = result.state;
    if (!isPending(op)) this.completedLeft--;
    this.cursor = this.next[HEAD]!;
  }

  private backtrack(): void {
    if (this.depth > this.bestLength) {
      // Copy only what changed since the last record: amortized O(pushes), not O(depth) each.
      this.best.set(this.stackEntry.subarray(this.agree, this.depth), this.agree);
      this.bestLength = this.agree = this.depth;
    }
    this.depth--;
    this.agree = Math.min(this.agree, this.depth);
    const entry = this.stackEntry[this.depth]!;
    const i = this.entryOp[entry]!;
    this.state = this.stackState.pop()!;
    this.bits[i >>> 5]! &= ~(1 << (i & 31));
    this.unlift(entry);
    if (!isPending(this.ops[i]!)) this.completedLeft++;
    this.cursor = this.readOnly[i] === 1 ? NIL : this.next[entry]!;
  }

  /**
   * Exact key of (linearized set, state). Every op below the frontier f (the first unlinearized
   * op in invoke order) is linearized and none above `max` is, so (f, bitset words from f to max)
   * identifies the set; with low overlap that slice is a word or two, not n/32 words.
   */
  private configKey(max: number, state: S): string {
    const first = this.next[HEAD]!;
    const frontier = first === NIL ? this.ops.length : this.entryOp[first]!;
    let key = `${frontier}:`;
    const lastWord = max >= frontier ? max >>> 5 : NIL;
    for (let w = frontier >>> 5; w <= lastWord; w++) key += `${this.bits[w]!.toString(36)},`;
    return `${key}|${this.stateId(state)}`;
  }

  private stateId(state: S): number {
    const isObject = typeof state === 'object' && state !== null;
    if (isObject) {
      const known = this.idOfState.get(state);
      if (known !== undefined) return known;
    }
    const key = this.keyOf(state);
    let id = this.stateIds.get(key);
    if (id === undefined) {
      id = this.stateIds.size;
      this.stateIds.set(key, id);
    }
    if (isObject) this.idOfState.set(state, id);
    return id;
  }

  private lift(entry: number): void {
    this.unlink(entry);
    const match = this.matchOf[entry]!;
    if (match !== NIL) this.unlink(match);
  }

  /** Exact inverse of `lift`, relinking in reverse order. */
  private unlift(entry: number): void {
    const match = this.matchOf[entry]!;
    if (match !== NIL) this.relink(match);
    this.relink(entry);
  }

  private unlink(e: number): void {
    const [p, n] = [this.prev[e]!, this.next[e]!];
    this.next[p] = n;
    if (n !== NIL) this.prev[n] = p;
  }

  private relink(e: number): void {
    const [p, n] = [this.prev[e]!, this.next[e]!];
    this.next[p] = e;
    if (n !== NIL) this.prev[n] = e;
  }
}

/** Re-checks sub-histories while shrinking, within the overall budget and the shrink cap. */
function shrinkCheck<S, I, O>(model: Model<S, I, O>, deadline: number, options: CheckOptions) {
  const until = Math.min(deadline, Date.now() + (options.shrinkTimeoutMs ?? DEFAULT_SHRINK_MS));
  return (ops: readonly Operation<I, O>[]): boolean | 'timeout' => {
    const status = new Search(model, ops).run(until, options.signal);
    return status === 'paused' ? 'timeout' : status === 'violation';
  };
}

/**
 * Checks a concurrent history against a sequential model. 'ok' only with a full linearization
 * (op ids, pending ops included only where they took effect); 'unknown' on timeout or abort.
 * Partitions are searched smallest first, first with a fair share of the remaining budget each,
 * then the unfinished ones resume with whatever is left, so one hard partition cannot starve a
 * cheap violation elsewhere. Throws `HistoryError` for malformed histories.
 */
export function checkLinearizability<S, I, O>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): CheckResult<I, O> {
  validateHistory(history);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const split = model.partition ? validatePartition(history, model.partition(history)) : [history];
  const parts = [...split].sort((a, b) => a.length - b.length);
  const all = parts.map((ops) => ({ ops, search: new Search(model, ops) }));
  const explored = (): number => all.reduce((sum, p) => sum + p.search.explored, 0);
  let waiting = all;
  for (const fair of [true, false]) {
    const unfinished: typeof all = [];
    for (const [k, part] of waiting.entries()) {
      const now = Date.now();
      const share = fair ? now + (deadline - now) / (waiting.length - k) : deadline;
      const status = part.search.run(Math.min(share, deadline), options.signal);
      if (status === 'violation') {
        const stillFails = shrinkCheck(model, deadline, options);
        const witness = buildWitness(model, part.ops, part.search.longestPrefix(), stillFails);
        return { verdict: 'violation', witness, explored: explored() };
      }
      if (status === 'paused') unfinished.push(part);
    }
    waiting = unfinished;
    if (waiting.length === 0) break;
  }
  if (waiting.length > 0) {
    const why = options.signal?.aborted ? 'aborted' : `timed out after ${options.timeoutMs} ms`;
    return {
      verdict: 'unknown',
      reason: `${why}: ${waiting.length} of ${all.length} partitions undecided`,
      explored: explored(),
      checkedPartitions: all.length - waiting.length,
      totalPartitions: all.length,
    };
  }
  const linearization = interleaveByRealTime(all.map((p) => p.search.linearization()));
  return { verdict: 'ok', linearization, explored: explored() };
}
