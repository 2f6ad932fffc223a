import fc from 'fast-check';
import { HistoryError, type Operation } from '../src/engine/history';
import { checkLinearizability, formatWitness } from '../src/engine/linearizability';
import type { Model } from '../src/engine/model';
import { expectOk } from './helpers/linearization-oracle';

// ---------- models ----------

type RegIn = { kind: 'write'; value: number } | { kind: 'read' };
type RegOut = number | null;

const register: Model<number, RegIn, RegOut> = {
  init: () => 0,
  step: (state, input) =>
    input.kind === 'write' ? { output: null, state: input.value } : { output: state, state },
  describeInput: (i) => (i.kind === 'write' ? `write(${i.value})` : 'read()'),
};

type QueueIn = { kind: 'enq'; value: number } | { kind: 'deq' };
type QueueOut = number | null;

const queue: Model<readonly number[], QueueIn, QueueOut> = {
  init: () => [],
  step: (state, input) =>
    input.kind === 'enq'
      ? { output: null, state: [...state, input.value] }
      : { output: state[0] ?? null, state: state.slice(1) },
};

type KvIn = { kind: 'put'; key: string; value: number } | { kind: 'get'; key: string };
type KvOut = number | null;
type KvState = Readonly<Record<string, number>>;

const kv: Model<KvState, KvIn, KvOut> = {
  init: () => ({}),
  step: (state, input) =>
    input.kind === 'put'
      ? { output: null, state: { ...state, [input.key]: input.value } }
      : { output: state[input.key] ?? null, state },
  partition: (ops) => {
    const byKey = new Map<string, Operation<KvIn, KvOut>[]>();
    for (const op of ops) byKey.set(op.input.key, [...(byKey.get(op.input.key) ?? []), op]);
    return [...byKey.values()];
  },
};

// ---------- history builders ----------

let nextId = 0;
function op<I, O>(
  worker: number,
  input: I,
  output: O,
  invoke: number,
  response: number,
): Operation<I, O> {
  return { id: nextId++, worker, input, output, invoke, response };
}

const w = (v: number): RegIn => ({ kind: 'write', value: v });
const r: RegIn = { kind: 'read' };
const enq = (v: number): QueueIn => ({ kind: 'enq', value: v });
const deq: QueueIn = { kind: 'deq' };
const put = (key: string, value: number): KvIn => ({ kind: 'put', key, value });
const get = (key: string): KvIn => ({ kind: 'get', key });

// ---------- hand-made tables ----------

type Case<I, O> = [name: string, history: Operation<I, O>[], verdict: 'ok' | 'violation'];

const registerCases: Case<RegIn, RegOut>[] = [
  [
    'register-sequential-ok',
    [op(0, w(1), null, 0, 1), op(0, r, 1, 2, 3), op(1, w(2), null, 4, 5), op(1, r, 2, 6, 7)],
    'ok',
  ],
  ['register-concurrent-sees-new-ok', [op(0, w(1), null, 0, 10), op(1, r, 1, 2, 5)], 'ok'],
  ['register-concurrent-sees-old-ok', [op(0, w(1), null, 0, 10), op(1, r, 0, 2, 5)], 'ok'],
  ['register-touching-intervals-concurrent-ok', [op(0, w(1), null, 0, 5), op(1, r, 0, 5, 6)], 'ok'],
  ['register-unwritten-value-bad', [op(0, w(1), null, 0, 1), op(1, r, 42, 2, 3)], 'violation'],
  ['register-stale-read-bad', [op(0, w(1), null, 0, 1), op(1, r, 0, 2, 3)], 'violation'],
  [
    'register-new-then-old-bad',
    [op(0, w(1), null, 0, 10), op(1, r, 1, 1, 3), op(2, r, 0, 4, 6)],
    'violation',
  ],
  [
    'register-old-then-new-ok',
    [op(0, w(1), null, 0, 10), op(1, r, 0, 1, 3), op(2, r, 1, 4, 6)],
    'ok',
  ],
];

const queueCases: Case<QueueIn, QueueOut>[] = [
  [
    'queue-overlapping-enqueues-in-order-ok',
    [
      op(0, enq(1), null, 0, 5),
      op(1, enq(2), null, 1, 6),
      op(0, deq, 1, 7, 8),
      op(1, deq, 2, 9, 10),
    ],
    'ok',
  ],
  [
    'queue-overlapping-enqueues-swapped-ok',
    [
      op(0, enq(1), null, 0, 5),
      op(1, enq(2), null, 1, 6),
      op(0, deq, 2, 7, 8),
      op(1, deq, 1, 9, 10),
    ],
    'ok',
  ],
  [
    'queue-empty-dequeue-concurrent-with-enqueue-ok',
    [op(0, enq(1), null, 0, 5), op(1, deq, null, 1, 2), op(1, deq, 1, 6, 7)],
    'ok',
  ],
  [
    'queue-fifo-order-bad',
    [op(0, enq(1), null, 0, 1), op(0, enq(2), null, 2, 3), op(1, deq, 2, 4, 5)],
    'violation',
  ],
  [
    'queue-duplicate-dequeue-bad',
    [op(0, enq(1), null, 0, 1), op(1, deq, 1, 2, 3), op(2, deq, 1, 4, 5)],
    'violation',
  ],
  [
    'queue-concurrent-duplicate-dequeue-bad',
    [op(0, enq(1), null, 0, 1), op(1, deq, 1, 2, 6), op(2, deq, 1, 3, 5)],
    'violation',
  ],
  [
    'queue-empty-after-enqueue-bad',
    [op(0, enq(1), null, 0, 1), op(1, deq, null, 2, 3)],
    'violation',
  ],
];

const pendingCases: Case<RegIn, RegOut>[] = [
  ['pending-write-observed-ok', [op(0, w(1), null, 0, Infinity), op(1, r, 1, 5, 6)], 'ok'],
  ['pending-write-not-observed-ok', [op(0, w(1), null, 0, Infinity), op(1, r, 0, 5, 6)], 'ok'],
  ['pending-write-only-ok', [op(0, w(1), null, 0, Infinity)], 'ok'],
  [
    'pending-write-observed-then-lost-bad',
    [op(0, w(1), null, 0, Infinity), op(1, r, 1, 1, 2), op(1, r, 0, 3, 4)],
    'violation',
  ],
  ['pending-read-output-ignored-ok', [op(0, w(1), null, 0, 1), op(1, r, 999, 2, Infinity)], 'ok'],
];

describe('register', () => {
  test.each([...registerCases, ...pendingCases])('%s', (_name, history, verdict) => {
    const result = checkLinearizability(register, history);
    if (verdict === 'ok') expectOk(register, history, result);
    else expect(result.verdict).toBe('violation');
  });

  test('register-concurrent-sees-new-ok linearizes the write first', () => {
    const history = registerCases[1]![1];
    const result = checkLinearizability(register, history);
    expect(result).toMatchObject({ verdict: 'ok', linearization: history.map((o) => o.id) });
  });

  test('register-stale-read-bad witness: prefix, blocked read with expected value', () => {
    const [write, read] = registerCases[5]![1] as [
      Operation<RegIn, RegOut>,
      Operation<RegIn, RegOut>,
    ];
    const result = checkLinearizability(register, [write, read]);
    if (result.verdict !== 'violation')
      throw new Error(`expected violation, got ${result.verdict}`);
    expect(result.witness.longestPrefix).toEqual([write.id]);
    expect(result.witness.blocked).toEqual([{ op: read, expected: 1, reason: 'output-mismatch' }]);
    expect(result.witness.minimal).toEqual([write, read]);
    expect(formatWitness(register, result.witness)).toMatch(
      /read\(\) -> 0 .*output-mismatch, spec expects 1/,
    );
  });
});

describe('queue', () => {
  test.each(queueCases)('%s', (_name, history, verdict) => {
    const result = checkLinearizability(queue, history);
    if (verdict === 'ok') expectOk(queue, history, result);
    else expect(result.verdict).toBe('violation');
  });
});

describe('key-value with partition by key', () => {
  const okHistory = (): Operation<KvIn, KvOut>[] => [
    op(0, put('a', 1), null, 0, 10),
    op(1, put('b', 2), null, 1, 3),
    op(2, get('a'), 1, 2, 4),
    op(1, get('b'), 2, 5, 6),
    op(2, get('a'), 1, 11, 12),
    op(0, get('b'), 2, 13, 14),
  ];

  test('kv-two-keys-ok gives one global linearization respecting real time', () => {
    const history = okHistory();
    expectOk(kv, history, checkLinearizability(kv, history));
  });

  test('kv-one-bad-key-bad: witness only holds ops of the bad key', () => {
    const history = [
      ...okHistory(),
      op(3, put('c', 7), null, 20, 21),
      op(4, get('c'), null, 22, 23), // stale read of key c
      op(3, put('a', 5), null, 22, 24),
    ];
    const result = checkLinearizability(kv, history);
    if (result.verdict !== 'violation')
      throw new Error(`expected violation, got ${result.verdict}`);
    const { longestPrefix, blocked, minimal } = result.witness;
    const keyOf = (id: number): string => history.find((o) => o.id === id)!.input.key;
    expect(minimal.map((o) => o.input.key)).toEqual(['c', 'c']);
    expect(longestPrefix.map(keyOf).every((k) => k === 'c')).toBe(true);
    expect(blocked.every((b) => b.op.input.key === 'c')).toBe(true);
  });

  test('kv-partition-that-drops-ops-is-rejected', () => {
    const lossy: Model<KvState, KvIn, KvOut> = { ...kv, partition: (ops) => [ops.slice(1)] };
    expect(() => checkLinearizability(lossy, okHistory())).toThrow(HistoryError);
  });
});

describe('history validation', () => {
  const invalid: [string, Operation<RegIn, RegOut>[], string][] = [
    [
      'overlapping-ops-of-one-worker',
      [op(0, w(1), null, 0, 5), op(0, r, 1, 3, 6)],
      'worker-overlap',
    ],
    [
      'worker-continues-after-pending-op',
      [op(0, w(1), null, 0, Infinity), op(0, r, 1, 3, 6)],
      'worker-overlap',
    ],
    [
      'duplicate-ids',
      [
        { ...op(0, w(1), null, 0, 1), id: 999 },
        { ...op(1, r, 1, 2, 3), id: 999 },
      ],
      'duplicate-id',
    ],
    // Ids numbered from 0 take a bitmap, others a Set: a repeat is caught either way.
    [
      'duplicate-dense-ids',
      [
        { ...op(0, w(1), null, 0, 1), id: 0 },
        { ...op(1, r, 1, 2, 3), id: 1 },
        { ...op(2, r, 1, 4, 5), id: 1 },
      ],
      'duplicate-id',
    ],
    ...[-3, 1.5, 2 ** 60].map((id): [string, Operation<RegIn, RegOut>[], string] => [
      `duplicate-id-${id}`,
      [
        { ...op(0, w(1), null, 0, 1), id },
        { ...op(1, r, 1, 2, 3), id },
      ],
      'duplicate-id',
    ]),
    ['response-before-invoke', [op(0, w(1), null, 5, 4)], 'invalid-time'],
    ['nan-invoke', [op(0, w(1), null, NaN, 4)], 'invalid-time'],
    ['nan-response', [op(0, w(1), null, 0, NaN)], 'invalid-time'],
  ];
  test.each(invalid)('%s throws HistoryError', (_name, history, code) => {
    let thrown: unknown;
    try {
      checkLinearizability(register, history);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HistoryError);
    expect((thrown as HistoryError).code).toBe(code);
  });

  test('the overlap message names the worker and both ops', () => {
    const history = [op(7, w(1), null, 0, 5), op(7, r, 1, 3, 6)];
    expect(() => checkLinearizability(register, history)).toThrow(
      /worker 7: op \d+ \[0, 5\] overlaps/,
    );
  });
});

describe('witness minimality', () => {
  test('register-stale-read-among-20-irrelevant-ops-bad shrinks to <= 3 ops', () => {
    const noise: Operation<RegIn, RegOut>[] = [];
    for (let k = 0; k < 10; k++) {
      const t = k * 10;
      const value = k === 9 ? 0 : k + 1; // the last noise write restores 0
      noise.push(op(2 + (k % 2), w(value), null, t, t + 3), op(4, r, value, t + 4, t + 6));
    }
    const write = op(0, w(7), null, 100, 101);
    const stale = op(1, r, 0, 102, 103);
    const history = [...noise, write, stale];
    const result = checkLinearizability(register, history);
    if (result.verdict !== 'violation')
      throw new Error(`expected violation, got ${result.verdict}`);
    const { minimal, shrunk } = result.witness;
    expect(shrunk).toBe(true);
    expect(minimal.length).toBeLessThanOrEqual(3);
    expect(minimal).toEqual(expect.arrayContaining([write, stale]));
    expect(checkLinearizability(register, minimal).verdict).toBe('violation');
    // 1-minimal: dropping any single op makes it linearizable.
    for (const o of minimal) {
      const rest = minimal.filter((x) => x !== o);
      expect(checkLinearizability(register, rest).verdict).toBe('ok');
    }
  });
});

describe('budget', () => {
  // 40 fully concurrent writes, then a read of a value never written: proving the violation
  // means exhausting ~40 * 2^39 (subset, last write) configurations.
  const hard = (): Operation<RegIn, RegOut>[] => [
    ...Array.from({ length: 40 }, (_, k) => op(k, w(k + 1), null, 0, 100)),
    op(40, r, -1, 200, 201),
  ];

  test('timeout-on-highly-concurrent-history-unknown', () => {
    const result = checkLinearizability(register, hard(), { timeoutMs: 1 });
    expect(result).toMatchObject({ verdict: 'unknown', checkedPartitions: 0, totalPartitions: 1 });
  });

  test('aborted-signal-unknown', () => {
    const controller = new AbortController();
    controller.abort();
    const result = checkLinearizability(register, hard(), { signal: controller.signal });
    expect(result).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/aborted/) });
  });

  test('timeout-in-one-partition-still-reports-finished-ones', () => {
    const hardKv = [
      ...Array.from({ length: 40 }, (_, k) => op(k, put('h', k + 1), null, 0, 100)),
      op(40, get('h'), -1, 200, 201),
      op(41, put('e', 1), null, 0, 1),
      op(41, get('e'), 1, 2, 3),
    ];
    const result = checkLinearizability(kv, hardKv, { timeoutMs: 200 });
    expect(result).toMatchObject({ verdict: 'unknown', checkedPartitions: 1, totalPartitions: 2 });
  });

  test('register-10k-ops-8-workers-ok runs iteratively', () => {
    const history = sequentialRegisterHistory(10_000, 8);
    expectOk(register, history, checkLinearizability(register, history));
  });
});

/** Low-overlap history: op k's interval overlaps only its neighbours'. */
function sequentialRegisterHistory(n: number, workers: number): Operation<RegIn, RegOut>[] {
  let value = 0;
  return Array.from({ length: n }, (_, k) => {
    const input = k % 3 === 0 ? w(k) : r;
    if (input.kind === 'write') value = input.value;
    const output = input.kind === 'write' ? null : value;
    return { id: k, worker: k % workers, input, output, invoke: 10 * k, response: 10 * k + 15 };
  });
}

// ---------- property: histories produced by a real linearization ----------

interface GenOp<I> {
  worker: number;
  input: I;
  /** How far the interval reaches before / after the linearization point. */
  before: number;
  after: number;
  /** For a worker's last op: leave it pending, and whether it took effect. */
  pending: boolean;
  applied: boolean;
}

/**
 * Runs the model over `gen` in order (the linearization), placing op k's point at 100k and its
 * interval around it without overlapping the same worker's neighbouring intervals.
 */
function historyFromLinearization<S, I, O>(
  model: Model<S, I, O>,
  gen: readonly GenOp<I>[],
): Operation<I, O>[] {
  const nextPoint = gen.map((g, k) => {
    const later = gen.findIndex((h, j) => j > k && h.worker === g.worker);
    return later < 0 ? Infinity : 100 * later;
  });
  const lastResponse = new Map<number, number>();
  let state = model.init();
  return gen.map((g, k) => {
    const point = 100 * k;
    const invoke = Math.max((lastResponse.get(g.worker) ?? -Infinity) + 1, point - g.before);
    const pending = g.pending && nextPoint[k] === Infinity;
    const result = model.step(state, g.input);
    if (!pending || g.applied) state = result.state;
    const response = pending ? Infinity : Math.min(point + g.after, nextPoint[k]! - 1);
    lastResponse.set(g.worker, response);
    return { id: k, worker: g.worker, input: g.input, output: result.output, invoke, response };
  });
}

function genOps<I>(input: fc.Arbitrary<I>): fc.Arbitrary<GenOp<I>[]> {
  const one = fc.record({
    worker: fc.integer({ min: 0, max: 3 }),
    input,
    before: fc.integer({ min: 0, max: 350 }),
    after: fc.integer({ min: 0, max: 350 }),
    pending: fc.boolean(),
    applied: fc.boolean(),
  });
  return fc.array(one, { minLength: 1, maxLength: 30 });
}

const regInput: fc.Arbitrary<RegIn> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map(w),
  fc.constant(r),
);
const queueInput: fc.Arbitrary<QueueIn> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map(enq),
  fc.constant(deq),
);
const kvInput: fc.Arbitrary<KvIn> = fc.oneof(
  fc
    .tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 4 }))
    .map(([k, v]) => put(k, v)),
  fc.constantFrom('a', 'b', 'c').map(get),
);

/** Replaces one completed read's output by `impossible`, a value the spec never returns. */
function corrupt<I, O>(
  history: Operation<I, O>[],
  isRead: (i: I) => boolean,
  pick: number,
  impossible: O,
): Operation<I, O>[] | undefined {
  const reads = history.filter((o) => isRead(o.input) && o.response !== Infinity);
  const target = reads[pick % Math.max(reads.length, 1)];
  if (!target) return undefined;
  return history.map((o) => (o === target ? { ...o, output: impossible } : o));
}

describe('property: generated histories', () => {
  const params = { numRuns: 150 };

  test.each([
    [
      'register',
      () =>
        fc.assert(
          fc.property(genOps(regInput), (g) => checksOk(register, g)),
          params,
        ),
    ],
    [
      'queue',
      () =>
        fc.assert(
          fc.property(genOps(queueInput), (g) => checksOk(queue, g)),
          params,
        ),
    ],
    [
      'kv-partitioned',
      () =>
        fc.assert(
          fc.property(genOps(kvInput), (g) => checksOk(kv, g)),
          params,
        ),
    ],
  ])('%s histories from a real linearization are ok', (_name, run) => run());

  function checksOk<S, I, O>(model: Model<S, I, O>, gen: GenOp<I>[]): void {
    const history = historyFromLinearization(model, gen);
    expectOk(model, history, checkLinearizability(model, history));
  }

  function checksBad<S, I, O>(
    model: Model<S, I, O>,
    gen: GenOp<I>[],
    pick: number,
    isRead: (i: I) => boolean,
    impossible: O,
  ): void {
    const history = corrupt(historyFromLinearization(model, gen), isRead, pick, impossible);
    fc.pre(history !== undefined);
    const result = checkLinearizability(model, history!);
    expect(result.verdict).toBe('violation');
    if (result.verdict === 'violation') {
      expect(checkLinearizability(model, result.witness.minimal).verdict).toBe('violation');
    }
  }

  test('register with one read of a never-written value is a violation', () => {
    const isRead = (i: RegIn): boolean => i.kind === 'read';
    fc.assert(
      fc.property(genOps(regInput), fc.nat(), (g, pick) =>
        checksBad(register, g, pick, isRead, -1),
      ),
      params,
    );
  });

  test('queue with one dequeue of a never-enqueued value is a violation', () => {
    const isDeq = (i: QueueIn): boolean => i.kind === 'deq';
    fc.assert(
      fc.property(genOps(queueInput), fc.nat(), (g, pick) => checksBad(queue, g, pick, isDeq, 99)),
      params,
    );
  });
});
