/**
 * The leak search's sequences: the cover sequences measure every kind of call once, and, given
 * to fast-check as examples, shrink like generated ones (plain data needs no generation
 * context), so a leak found by the cover still ends as its one call.
 */
import fc from 'fast-check';
import { describeOp } from '../models/operations';
import {
  UNIFORM_MIX,
  buildersOf,
  coverSequences,
  leakSequences,
} from '../src/scenarios/leak-sequence';
import { initialTrackerState } from '../models/tracker-state';

const KINDS = Object.keys(UNIFORM_MIX).sort();

test('cover sequences hold every kind of call exactly once, in groups no longer than allowed', () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (seed, maxCommands) => {
      const groups = coverSequences(seed, maxCommands);
      const kinds = groups.flat().map((call) => call?.kind);
      expect([...kinds].sort()).toEqual(KINDS);
      expect(groups.every((group) => group.length >= 1 && group.length <= maxCommands)).toBe(true);
      expect(coverSequences(seed, maxCommands)).toEqual(groups);
    }),
    { numRuns: 50 },
  );
});

test('the order of the cover depends on the seed', () => {
  const firstKinds = new Set(
    Array.from({ length: 20 }, (_, seed) => coverSequences(seed, 3)[0]?.[0]?.kind),
  );
  expect(firstKinds.size).toBeGreaterThan(3);
});

test('a call is rebuilt the same from its input seed', () => {
  const [sequence] = coverSequences(7, 14);
  const describe = (seq: NonNullable<typeof sequence>) =>
    buildersOf(seq).map((build) => describeOp(build(initialTrackerState())));
  expect(sequence).toBeDefined();
  if (sequence === undefined) return;
  expect(describe(sequence)).toEqual(describe(sequence));
  expect(describe(sequence)).toHaveLength(14);
});

test('a failing cover example shrinks to the one call that fails, and its path replays it', () => {
  const seed = 11;
  const examples = coverSequences(seed, 3).map((sequence) => [sequence] as [typeof sequence]);
  const failsOn = (calls: Parameters<typeof buildersOf>[0]) =>
    calls.some((call) => call?.kind === 'listClients');
  const property = fc.property(leakSequences(3), (calls) => !failsOn(calls));
  const details = fc.check(property, { seed, examples, numRuns: examples.length });
  expect(details.failed).toBe(true);
  const shrunk = details.counterexample?.[0] ?? [];
  expect(shrunk.filter((call) => call !== null).map((call) => call.kind)).toEqual(['listClients']);
  // The failing example's index leads the path: the cover came first.
  expect(Number(details.counterexamplePath?.split(':')[0])).toBeLessThan(examples.length);
  const replay = fc.check(property, {
    seed,
    examples,
    path: details.counterexamplePath ?? '',
    endOnFailure: true,
  });
  expect(replay.counterexample).toEqual(details.counterexample);
});
