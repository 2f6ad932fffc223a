/**
 * Judges a database after a crash against the model. With k calls acknowledged, the file must
 * hold exactly the model's state after k calls, or after k+1 when call k had begun its
 * transaction (it may have committed just before the kill). Anything else is either an
 * acknowledged call gone missing (the file equals an earlier state) or a half-applied call
 * (the file equals no state the program passes through).
 */
import { deepEqual } from '../engine/deep-equal';
import { diffValues } from '../engine/diff';
import { snapshotOfState, type TrackerSnapshot } from '../../models/invariants';
import type { TrackerState } from '../../models/tracker-state';

export type CrashVerdict =
  | { readonly kind: 'consistent'; readonly applied: number }
  | { readonly kind: 'acknowledged-missing'; readonly missing: number; readonly detail: string }
  | { readonly kind: 'half-applied'; readonly detail: string };

export function judgeCrash(
  states: readonly TrackerState[],
  acked: number,
  unackedBegan: boolean,
  observed: TrackerSnapshot,
): CrashVerdict {
  const matches = (j: number) => {
    const state = states[j];
    return state !== undefined && deepEqual(snapshotOfState(state), observed);
  };
  const allowed = unackedBegan ? [acked, acked + 1] : [acked];
  for (const j of allowed) if (matches(j)) return { kind: 'consistent', applied: j };
  // Against the state with call k applied when it had begun: shows what it left half-done.
  const expected = snapshotOfState(states[unackedBegan ? acked + 1 : acked] as TrackerState);
  const detail = diffValues(expected, observed).slice(0, 4).join('; ');
  for (let j = acked - 1; j >= 0; j -= 1) {
    if (matches(j)) return { kind: 'acknowledged-missing', missing: acked - j, detail };
  }
  return { kind: 'half-applied', detail };
}
