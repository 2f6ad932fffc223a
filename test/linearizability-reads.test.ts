/**
 * The checker's read rule (`Model.readOnly`): a matching read is committed without branching.
 * It must never change a verdict, only the work: checked against the same models without it, on
 * random histories whose outputs are random (so both verdicts occur), and by counting steps.
 */
import fc from 'fast-check';
import type { Operation } from '../src/engine/history';
import { checkLinearizability } from '../src/engine/linearizability';
import type { Model } from '../src/engine/model';
import { expectOk, linearizableByBruteForce } from './helpers/linearization-oracle';

type KvIn = { kind: 'put'; key: string; value: number } | { kind: 'get'; key: string };
type KvOut = number | null;
type KvState = Readonly<Record<string, number>>;

/** A key-value register; with `reads`, gets are declared read-only. */
function kvModel(reads: boolean, partitioned: boolean): Model<KvState, KvIn, KvOut> {
  return {
    init: () => ({}),
    step: (state, input) =>
      input.kind === 'put'
        ? { output: null, state: { ...state, [input.key]: input.value } }
        : { output: state[input.key] ?? null, state },
    ...(reads ? { readOnly: (input: KvIn) => input.kind === 'get' } : {}),
    ...(partitioned
      ? {
          partition: (ops: readonly Operation<KvIn, KvOut>[]) => {
            const byKey = new Map<string, Operation<KvIn, KvOut>[]>();
            for (const op of ops) byKey.set(op.input.key, [...(byKey.get(op.input.key) ?? []), op]);
            return [...byKey.values()];
          },
        }
      : {}),
  };
}

interface RandomOp {
  worker: number;
  input: KvIn;
  /** What a get claims to have read (ignored for puts). */
  claimed: KvOut;
  gap: number;
  length: number;
  pending: boolean;
}

const randomOp: fc.Arbitrary<RandomOp> = fc.record({
  worker: fc.integer({ min: 0, max: 3 }),
  input: fc.oneof(
    fc
      .tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: 3 }))
      .map(([key, value]): KvIn => ({ kind: 'put', key, value })),
    fc.constantFrom('a', 'b').map((key): KvIn => ({ kind: 'get', key })),
  ),
  claimed: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  gap: fc.integer({ min: 0, max: 30 }),
  length: fc.integer({ min: 1, max: 60 }),
  pending: fc.boolean(),
});

/** Each worker's ops one after another; outputs as claimed, linearizable or not. */
function historyOf(ops: readonly RandomOp[]): Operation<KvIn, KvOut>[] {
  const free = new Map<number, number>();
  const lastOf = new Map(ops.map((o, k) => [o.worker, k]));
  return ops.map((o, id) => {
    const invoke = (free.get(o.worker) ?? 0) + o.gap;
    const pending = o.pending && lastOf.get(o.worker) === id;
    const response = pending ? Infinity : invoke + o.length;
    free.set(o.worker, response + 1);
    const output = o.input.kind === 'get' ? o.claimed : null;
    return { id, worker: o.worker, input: o.input, output, invoke, response };
  });
}

test.each([
  ['one partition', false],
  ['partitioned by key', true],
])('the read rule never changes a verdict (%s)', (_name, partitioned) => {
  const withReads = kvModel(true, partitioned);
  const without = kvModel(false, partitioned);
  const verdicts = new Set<string>();
  fc.assert(
    fc.property(fc.array(randomOp, { minLength: 1, maxLength: 12 }), (ops) => {
      const history = historyOf(ops);
      const fast = checkLinearizability(withReads, history);
      const plain = checkLinearizability(without, history);
      verdicts.add(fast.verdict);
      expect(fast.verdict).toBe(plain.verdict);
      if (fast.verdict === 'ok') expectOk(withReads, history, fast);
      expect(fast.explored).toBeLessThanOrEqual(plain.explored);
    }),
    { numRuns: 400 },
  );
  // Both answers occurred, so the comparison was not all one-sided.
  expect([...verdicts].sort()).toEqual(['ok', 'violation']);
});

test.each([
  ['with the read rule', true],
  ['without it', false],
])('verdicts on tiny histories agree with brute force (%s)', (_name, reads) => {
  const model = kvModel(reads, false);
  fc.assert(
    fc.property(fc.array(randomOp, { minLength: 1, maxLength: 7 }), (ops) => {
      const history = historyOf(ops);
      const verdict = checkLinearizability(model, history).verdict;
      expect(verdict).toBe(linearizableByBruteForce(model, history) ? 'ok' : 'violation');
    }),
    { numRuns: 300 },
  );
});

test('concurrent reads do not multiply the orders to try', () => {
  // Four writers and twelve readers all concurrent, then a read of a value never written: to
  // prove the violation without the rule, the search tries the reads at every place between the
  // writes; with it, each read is placed once per configuration of writes (here 6k steps against
  // 282k).
  const history: Operation<KvIn, KvOut>[] = [
    ...Array.from({ length: 4 }, (_, k) => ({
      id: k,
      worker: k,
      input: { kind: 'put', key: 'a', value: (k % 3) + 1 } as KvIn,
      output: null,
      invoke: 0,
      response: 100,
    })),
    ...Array.from({ length: 12 }, (_, k) => ({
      id: 4 + k,
      worker: 4 + k,
      input: { kind: 'get', key: 'a' } as KvIn,
      output: (k % 3) + 1,
      invoke: 0,
      response: 100,
    })),
    { id: 16, worker: 0, input: { kind: 'get', key: 'a' }, output: 9, invoke: 200, response: 201 },
  ];
  const fast = checkLinearizability(kvModel(true, false), history);
  const plain = checkLinearizability(kvModel(false, false), history);
  expect(fast.verdict).toBe('violation');
  expect(plain.verdict).toBe('violation');
  expect(fast.explored * 10).toBeLessThan(plain.explored);
});
