/** IdIndex must behave exactly as a Map would, whatever keys a buggy store reports. */
import fc from 'fast-check';
import { IdIndex } from '../src/scenarios/parallel/id-index';

const key = fc.oneof(
  fc.nat({ max: 50 }),
  fc.constantFrom(-0, -1, 1.5, NaN, Infinity, 2 ** 24, 2 ** 53, 1e9 + 64),
  fc.constantFrom('7', '', 'x'),
  fc.constant(undefined),
  fc.constant(null),
);
const value = fc.oneof(fc.integer(), fc.constant(undefined));

test('agrees with a Map on any sequence of sets, gets and has, and keeps insertion order', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(key, value, key)), (steps) => {
      const index = new IdIndex<number | undefined>();
      const map = new Map<unknown, number | undefined>();
      for (const [setKey, setValue, probe] of steps) {
        index.set(setKey, setValue);
        map.set(setKey, setValue);
        expect(index.get(probe)).toBe(map.get(probe));
        expect(index.has(probe)).toBe(map.has(probe));
      }
      expect(index.size).toBe(map.size);
      expect([...index.entries()]).toEqual([...map.entries()]);
    }),
    { numRuns: 500 },
  );
});
