/**
 * deepEqual judges every output the checker replays: it must agree with a plain definition
 * (Node's deep strict equality once keys holding `undefined` are dropped, -0 taken as 0 and
 * prototypes ignored) on any data, equal or not.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { deepEqual } from '../src/engine/deep-equal';

/**
 * Sets an own property, "__proto__" included: `out[key] = value` would set the prototype instead
 * and lose the key (fast-check generates such keys).
 */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The data as the definition sees it: plain records, no undefined-valued keys, no -0. */
function normalized(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(normalized);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) setOwn(out, key, normalized(inner));
  }
  return out;
}

const byDefinition = (a: unknown, b: unknown) => isDeepStrictEqual(normalized(a), normalized(b));

/** A copy that should still be equal: keys in another order, undefined keys added, -0 for 0. */
function lookalike(value: unknown, salt: number): unknown {
  if (value === 0) return salt % 2 === 0 ? -0 : 0;
  if (Array.isArray(value)) return value.map((v, i) => lookalike(v, salt + i));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value).reverse();
  const out: Record<string, unknown> = salt % 3 === 0 ? Object.create(null) : {};
  if (salt % 2 === 0) out[`absent${salt}`] = undefined;
  for (const key of keys) {
    setOwn(out, key, lookalike((value as Record<string, unknown>)[key], salt + 1));
  }
  return out;
}

const data = fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true });

test('agrees with the definition on unrelated data', () => {
  fc.assert(
    fc.property(data, data, (a, b) => {
      expect(deepEqual(a, b)).toBe(byDefinition(a, b));
    }),
    { numRuns: 2_000 },
  );
});

test('agrees with the definition on lookalike copies, and finds one changed leaf', () => {
  fc.assert(
    fc.property(data, fc.nat(), (a, salt) => {
      const copy = lookalike(a, salt);
      expect(deepEqual(a, copy)).toBe(byDefinition(a, copy));
      expect(deepEqual(copy, a)).toBe(byDefinition(copy, a));
    }),
    { numRuns: 2_000 },
  );
  // An analytics result and the same with one nested count changed.
  const result = { ok: true, value: { epicId: 1, tasksByStatus: { todo: 2, completed: 1 } } };
  const changed = { ok: true, value: { epicId: 1, tasksByStatus: { todo: 2, completed: 2 } } };
  expect(deepEqual(result, structuredClone(result))).toBe(true);
  expect(deepEqual(result, changed)).toBe(false);
  expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  expect(deepEqual([1, [2, NaN]], [1, [2, NaN]])).toBe(true);
  expect(deepEqual([1, 2], [1, 2, undefined])).toBe(false);
  // An own "__proto__" key is a key like any other.
  const own = (value: unknown) => JSON.parse(`{"__proto__":${JSON.stringify(value)}}`) as object;
  expect(deepEqual(own(''), own(''))).toBe(true);
  expect(deepEqual(own(''), {})).toBe(false);
  expect(deepEqual(own(1), own(2))).toBe(false);
});
