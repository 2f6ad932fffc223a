/**
 * The model's step is pure: it never changes the state it is given (the linearizability checker
 * relies on that to explore orderings from shared states), and it is deterministic.
 */
import fc from 'fast-check';
import { opBuilderArbitrary } from '../models/arbitraries';
import { snapshotOfState } from '../models/invariants';
import { stepTracker } from '../models/tracker-model';
import { initialTrackerState } from '../models/tracker-state';

test('stepTracker never mutates its input state and gives the same result twice', () => {
  fc.assert(
    fc.property(fc.array(opBuilderArbitrary(), { maxLength: 60 }), (builders) => {
      let state = initialTrackerState();
      for (const build of builders) {
        const op = build(state);
        const before = JSON.stringify(snapshotOfState(state));
        const first = stepTracker(state, op);
        const second = stepTracker(state, op);
        expect(JSON.stringify(snapshotOfState(state))).toBe(before);
        expect(second.result).toEqual(first.result);
        expect(snapshotOfState(second.state)).toEqual(snapshotOfState(first.state));
        state = first.state;
      }
    }),
    { numRuns: 200 },
  );
});
