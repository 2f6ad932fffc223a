/**
 * Breakpoint search: ramp the load geometrically until a threshold fails, then bisect between
 * the last level that passed and the first that failed until they are within `precision` of
 * each other. The seed's suite only stepped up a fixed ladder (5, 10, 20, 50...); bisection
 * finds the edge to a few percent in a handful more levels.
 */
import type { Probe, ProbeOutcome } from './probe';

export interface SearchOptions {
  /** First level of the ramp. */
  readonly start: number;
  /** Each ramp step multiplies the level by this (> 1). */
  readonly growth: number;
  /** The ramp never goes above this; reaching it passing means "never broke". */
  readonly max: number;
  /** Below this, a failing start means the system breaks at any load. */
  readonly min: number;
  /** Bisect until (firstFail - lastPass) / firstFail <= precision. */
  readonly precision: number;
  /** Levels are whole numbers (clients, threads) when true. */
  readonly integer: boolean;
  /** Most levels measured in all. */
  readonly maxProbes: number;
}

export type SearchEnd = 'found' | 'never-broke' | 'broke-at-minimum' | 'probe-budget';

export interface BreakpointResult {
  readonly probes: readonly ProbeOutcome[];
  /** The highest level that passed below the breaking level (null if none passed). */
  readonly maxSustained: number | null;
  /** The lowest level that failed (null if none failed). */
  readonly breakingLoad: number | null;
  /** 80% of the maximum sustained level: the load to plan for. */
  readonly safeLimit: number | null;
  /** The thresholds that failed at the breaking level: what gives way first. */
  readonly firstFailed: readonly string[];
  readonly end: SearchEnd;
}

export const SAFE_SHARE = 0.8;

export async function searchBreakpoint(
  probe: Probe,
  options: SearchOptions,
): Promise<BreakpointResult> {
  if (!(options.growth > 1)) throw new RangeError('growth must be above 1');
  if (!(options.start > 0) || !(options.max >= options.start) || !(options.min > 0)) {
    throw new RangeError('need 0 < min, 0 < start <= max');
  }
  const probes: ProbeOutcome[] = [];
  const level = Math.round;
  const measure = async (load: number, phase: ProbeOutcome['phase']) => {
    const outcome = await probe(load, phase);
    probes.push(outcome);
    return outcome;
  };
  const budgetLeft = () => probes.length < options.maxProbes;

  let lastPass: ProbeOutcome | undefined;
  let firstFail: ProbeOutcome | undefined;
  // Ramp: up while passing; if the start already fails, down until something passes.
  let load = level(options.start);
  let outcome = await measure(load, 'ramp');
  if (outcome.passed) {
    lastPass = outcome;
    while (budgetLeft() && load < options.max) {
      load = level(Math.min(options.max, Math.max(load + 1, load * options.growth)));
      outcome = await measure(load, 'ramp');
      if (!outcome.passed) {
        firstFail = outcome;
        break;
      }
      lastPass = outcome;
    }
    if (firstFail === undefined)
      return finish(
        probes,
        lastPass,
        undefined,
        load >= options.max ? 'never-broke' : 'probe-budget',
      );
  } else {
    firstFail = outcome;
    while (budgetLeft() && load > options.min) {
      load = level(Math.max(options.min, Math.min(load - 1, load / options.growth)));
      outcome = await measure(load, 'ramp');
      if (outcome.passed) {
        lastPass = outcome;
        break;
      }
      firstFail = outcome;
    }
    if (lastPass === undefined)
      return finish(
        probes,
        undefined,
        firstFail,
        load <= options.min ? 'broke-at-minimum' : 'probe-budget',
      );
  }
  // Bisect between the last pass and the first fail. A bracket within precision is an answer
  // even if the level that narrowed it was the last of the budget.
  for (;;) {
    const gap = firstFail.load - lastPass.load;
    if (gap / firstFail.load <= options.precision || (options.integer && gap <= 1)) {
      return finish(probes, lastPass, firstFail, 'found');
    }
    const middle = level((lastPass.load + firstFail.load) / 2);
    if (middle <= lastPass.load || middle >= firstFail.load) {
      return finish(probes, lastPass, firstFail, 'found');
    }
    if (!budgetLeft()) return finish(probes, lastPass, firstFail, 'probe-budget');
    outcome = await measure(middle, 'bisect');
    if (outcome.passed) lastPass = outcome;
    else firstFail = outcome;
  }
}

function finish(
  probes: readonly ProbeOutcome[],
  lastPass: ProbeOutcome | undefined,
  firstFail: ProbeOutcome | undefined,
  end: SearchEnd,
): BreakpointResult {
  const maxSustained = lastPass?.load ?? null;
  return {
    probes,
    maxSustained,
    breakingLoad: firstFail?.load ?? null,
    safeLimit: maxSustained === null ? null : Math.floor(maxSustained * SAFE_SHARE),
    firstFailed: firstFail?.failed ?? [],
    end,
  };
}
