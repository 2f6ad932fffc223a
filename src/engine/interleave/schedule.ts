/**
 * A schedule is data: which worker runs its next step is decided by it alone, so a case replays
 * exactly and fast-check shrinks the schedule along with the programs.
 *
 * - `pct`: probabilistic concurrency testing (Burckhardt et al.). Each worker has a priority;
 *   the highest-priority runnable worker always runs; at each change point the running worker
 *   drops below all others. A bug of depth d is found with probability >= 1/(n * k^(d-1)) for n
 *   workers and k steps, with d-1 change points; it shrinks towards fewer context switches.
 * - `random`: a uniform pick among the runnable workers at every step (shrinks towards 0, i.e.
 *   always the lowest-numbered runnable worker).
 */
import fc from 'fast-check';

/**
 * `mixed` draws three cases in four with uniform picks and one with PCT. Measured on the
 * catalogue (8 seeds each, cases to the first failure, median): uniform picks needed 3 to 6
 * times fewer cases than PCT on every interleaving bug (phantom-page 554 vs 1,691, stale cache
 * 494 vs 1,571, lost update 209 vs 827, double transition 23 vs 135): races here sit in windows of
 * one or two statements of small cases, which picks hit often. PCT stays in the mix for its
 * bound on deeper bugs of longer cases.
 */
export type ScheduleKind = 'pct' | 'random' | 'mixed';

export type Schedule =
  | {
      readonly kind: 'pct';
      readonly priorities: readonly number[];
      readonly changePoints: readonly number[];
    }
  | { readonly kind: 'random'; readonly picks: readonly number[] };

export interface ScheduleBounds {
  readonly maxWorkers: number;
  /** Steps a case can take, at most (change points fall below it). */
  readonly maxSteps: number;
  /** PCT depth: change points = depth - 1. */
  readonly depth: number;
}

export function scheduleArbitrary(
  kind: ScheduleKind,
  bounds: ScheduleBounds,
): fc.Arbitrary<Schedule> {
  if (kind === 'mixed') {
    return fc.oneof(
      { weight: 3, arbitrary: scheduleArbitrary('random', bounds) },
      { weight: 1, arbitrary: scheduleArbitrary('pct', bounds) },
    );
  }
  if (kind === 'pct') {
    return fc
      .record({
        priorities: fc.array(fc.nat({ max: bounds.maxWorkers - 1 }), {
          minLength: bounds.maxWorkers,
          maxLength: bounds.maxWorkers,
        }),
        changePoints: fc.uniqueArray(changePointArbitrary(bounds.maxSteps), {
          maxLength: Math.max(0, bounds.depth - 1),
        }),
      })
      .map(({ priorities, changePoints }) => ({ kind: 'pct' as const, priorities, changePoints }));
  }
  // Picks past the end default to the lowest runnable worker, which runs the case out
  // sequentially: draw picks for the whole case (fast-check's default sizes are a handful), and
  // let shrinking remove or zero them.
  return fc
    .array(fc.nat({ max: bounds.maxWorkers - 1 }), {
      minLength: bounds.maxSteps,
      maxLength: bounds.maxSteps,
    })
    .map((picks) => ({ kind: 'random' as const, picks }));
}

/**
 * A change point in [0, maxSteps], log-uniform: as likely in steps 2-4 as in 20-40. Races sit in
 * windows of a step or two, and a small case has a dozen steps; uniform points would mostly
 * land past its end. Shrinks towards step 0.
 */
function changePointArbitrary(maxSteps: number): fc.Arbitrary<number> {
  const resolution = 1_000;
  return fc
    .integer({ min: 0, max: resolution })
    .map((u) => Math.round(Math.pow(maxSteps + 1, u / resolution)) - 1);
}

/** Chooses the next worker among the runnable ones; deterministic given the schedule. */
export class ScheduleCursor {
  private readonly priority: number[];
  private readonly changeAt: ReadonlySet<number>;
  private lowered = 0;

  constructor(
    private readonly schedule: Schedule,
    workers: number,
  ) {
    // Higher number runs first; ties go to the lower worker index.
    this.priority = Array.from({ length: workers }, (_, w) =>
      schedule.kind === 'pct' ? (schedule.priorities[w] ?? 0) * workers + (workers - w) : 0,
    );
    this.changeAt = new Set(schedule.kind === 'pct' ? schedule.changePoints : []);
  }

  choose(step: number, runnable: readonly number[]): number {
    if (runnable.length === 0) throw new Error('choose() needs a runnable worker');
    if (this.schedule.kind === 'random') {
      const pick = this.schedule.picks[step] ?? 0;
      return runnable[pick % runnable.length] as number;
    }
    let best = this.highest(runnable);
    if (this.changeAt.has(step)) {
      // The worker that would run drops below every other one: a context switch.
      this.lowered += 1;
      this.priority[best] = -this.lowered;
      best = this.highest(runnable);
    }
    return best;
  }

  private highest(runnable: readonly number[]): number {
    let best = runnable[0] as number;
    for (const w of runnable) if ((this.priority[w] ?? 0) > (this.priority[best] ?? 0)) best = w;
    return best;
  }
}

/** A schedule as a person reads it: `pct priorities [2,0,1] switch at steps 4, 11`. */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === 'pct') {
    const switches =
      schedule.changePoints.length === 0
        ? 'no switches'
        : `switch at step${schedule.changePoints.length > 1 ? 's' : ''} ${[...schedule.changePoints]
            .sort((a, b) => a - b)
            .join(', ')}`;
    return `pct priorities [${schedule.priorities.join(',')}] ${switches}`;
  }
  // Trailing zeros are the default: leave them out.
  let end = schedule.picks.length;
  while (end > 0 && schedule.picks[end - 1] === 0) end -= 1;
  return `random picks [${schedule.picks.slice(0, end).join(',')}]`;
}
