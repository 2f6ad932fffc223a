/**
 * A linear sweep: the same probe at evenly spaced levels, the slow and plain way to find a
 * knee. The breakpoint command runs one around the level the search found, in the same run,
 * so the search's answer is checked against a method with no cleverness to get wrong.
 */
import type { Probe, ProbeOutcome } from './probe';

export interface SweepResult {
  readonly probes: readonly ProbeOutcome[];
  /** The highest level that passed below the sweep's first failing level (null if none). */
  readonly knee: number | null;
}

export async function linearSweep(
  probe: Probe,
  from: number,
  to: number,
  steps: number,
): Promise<SweepResult> {
  if (!(steps >= 2) || !(to > from) || !(from > 0)) {
    throw new RangeError('a sweep needs 0 < from < to and at least 2 steps');
  }
  const probes: ProbeOutcome[] = [];
  let knee: number | null = null;
  for (let step = 0; step < steps; step += 1) {
    const raw = from + ((to - from) * step) / (steps - 1);
    const load = Math.round(raw);
    if (probes.some((p) => p.load === load)) continue;
    const outcome = await probe(load, 'sweep');
    probes.push(outcome);
    if (!outcome.passed) break;
    knee = load;
  }
  return { probes, knee };
}

/** |sweep knee - search knee| / search knee, or null when either is missing. */
export function kneeAgreement(searchKnee: number | null, sweepKnee: number | null): number | null {
  if (searchKnee === null || sweepKnee === null || searchKnee === 0) return null;
  return Math.abs(sweepKnee - searchKnee) / searchKnee;
}
