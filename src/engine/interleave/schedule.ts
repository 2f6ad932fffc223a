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
 * - `points`: the same uniform choice, but written down at code positions instead of steps:
 *   whether the worker that just ran goes on, or which other one runs, is looked up at the gate
 *   that worker is parked at (its worker, the slot of its call in the program, the gate's
 *   ordinal within the call). Removing a call then leaves every other decision where it was,
 *   so shrinking can drop a call without reshuffling the interleaving of the rest, which step
 *   indexed picks cannot (each dropped call shifts every later pick). Shrinks towards no
 *   switches at all: each worker's program runs to its end before the next starts.
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
export type ScheduleKind = 'pct' | 'random' | 'points' | 'mixed';

export type Schedule =
  | {
      readonly kind: 'pct';
      readonly priorities: readonly number[];
      readonly changePoints: readonly number[];
    }
  | { readonly kind: 'random'; readonly picks: readonly number[] }
  | {
      readonly kind: 'points';
      /** [worker][call slot][gate ordinal]: 0 goes on, d hands over d workers on (see atPoint). */
      readonly switches: readonly (readonly (readonly number[])[])[];
    };

/** Where a parked worker stands: the decisions of `points` schedules are keyed by it. */
export interface GatePosition {
  /** The worker's index among the case's workers as generated (before idle ones drop out). */
  readonly worker: number;
  /** The call's index in the worker's program as generated (before calls are removed). */
  readonly slot: number;
  /** The gate's ordinal within the call: 0 is its start, then each statement or back-off. */
  readonly gate: number;
}

/** What a decision may look at besides the step: who ran last, and where the workers stand. */
export interface Scene {
  /** The scheduler's index of the worker that ran the last step. */
  readonly last: number;
  /** Where a parked worker stands (scheduler index); undefined once it finished. */
  readonly positionOf: (worker: number) => GatePosition | undefined;
  /** A scheduler index's worker as generated. */
  readonly keyOf: (worker: number) => number;
}

export interface ScheduleBounds {
  readonly maxWorkers: number;
  /** Steps a case can take, at most (change points fall below it). */
  readonly maxSteps: number;
  /** PCT depth: change points = depth - 1. */
  readonly depth: number;
  /** `points`: calls a worker's program can hold, and gates a call can be switched at. */
  readonly maxCalls: number;
  readonly maxGates: number;
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
  if (kind === 'points') {
    // Unbiased and at full size: a decision that is not written down means "go on", so small
    // arrays would mean few switches; shrinking empties the arrays of positions never reached.
    const choice = fc.nat({ max: bounds.maxWorkers - 1 });
    const call = fc.array(choice, { maxLength: bounds.maxGates, size: 'max' });
    const worker = fc.array(call, { maxLength: bounds.maxCalls, size: 'max' });
    return fc
      .noBias(fc.array(worker, { maxLength: bounds.maxWorkers, size: 'max' }))
      .map((switches) => ({ kind: 'points' as const, switches }));
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
  /** `points`: the position each worker last consulted its decision at. */
  private readonly consulted = new Map<number, string>();

  constructor(
    private readonly schedule: Schedule,
    private readonly workers: number,
  ) {
    // Higher number runs first; ties go to the lower worker index.
    this.priority = Array.from({ length: workers }, (_, w) =>
      schedule.kind === 'pct' ? (schedule.priorities[w] ?? 0) * workers + (workers - w) : 0,
    );
    this.changeAt = new Set(schedule.kind === 'pct' ? schedule.changePoints : []);
  }

  /**
   * `runnable` holds scheduler indices, ascending. Only `points` schedules look at the scene.
   */
  choose(step: number, runnable: readonly number[], scene?: Scene): number {
    if (runnable.length === 0) throw new Error('choose() needs a runnable worker');
    if (this.schedule.kind === 'points') return this.atPoint(runnable, scene);
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

  /**
   * The last worker goes on, unless the decision written where it stands says otherwise: an
   * offset among the workers as generated (d: the worker d places after it, cyclically, or the
   * next one after that which can run). The worker handed the step consults its own decision
   * where it stands in turn, so a decision counts wherever the worker arrived from; each is
   * consulted once per arrival at a gate, which also ends the chain. Counting among generated
   * workers, and consulting every decision once, keep the decisions of the other calls where
   * they were when shrinking removes a call or a worker drops out.
   */
  private atPoint(runnable: readonly number[], scene: Scene | undefined): number {
    if (this.schedule.kind !== 'points') throw new Error('not a points schedule');
    const { switches } = this.schedule;
    const keyOf = scene?.keyOf ?? ((worker: number) => worker);
    const keys = runnable.map(keyOf);
    const last = scene?.last ?? 0;
    const space = Math.max(this.workers, keyOf(last) + 1, ...keys.map((key) => key + 1));
    // The first runnable worker at or after a generated index, cyclically.
    const from = (target: number): number => {
      let best = 0;
      const distance = (i: number) => ((keys[i] as number) - (target % space) + space) % space;
      for (let i = 1; i < runnable.length; i += 1) if (distance(i) < distance(best)) best = i;
      return runnable[best] as number;
    };
    let current = from(keyOf(last));
    for (;;) {
      const at = scene?.positionOf(current);
      if (at === undefined || this.consulted.get(at.worker) === positionKey(at)) return current;
      this.consulted.set(at.worker, positionKey(at));
      const choice = switches[at.worker]?.[at.slot]?.[at.gate] ?? 0;
      if (choice === 0) return current;
      current = from(keyOf(current) + choice);
    }
  }

  private highest(runnable: readonly number[]): number {
    let best = runnable[0] as number;
    for (const w of runnable) if ((this.priority[w] ?? 0) > (this.priority[best] ?? 0)) best = w;
    return best;
  }
}

function positionKey(at: GatePosition): string {
  return `${at.slot}:${at.gate}`;
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
  if (schedule.kind === 'points') return describePoints(schedule.switches);
  // Trailing zeros are the default: leave them out.
  let end = schedule.picks.length;
  while (end > 0 && schedule.picks[end - 1] === 0) end -= 1;
  return `random picks [${schedule.picks.slice(0, end).join(',')}]`;
}

/**
 * `points [w1 call 2 gate 1 +1]`: when worker 1 stands at gate 1 of its second call (workers
 * and calls 1-based, as the lanes count them), the next runnable worker runs instead. Decisions
 * at positions the run never reached print too; shrinking empties them.
 */
function describePoints(switches: readonly (readonly (readonly number[])[])[]): string {
  const written: string[] = [];
  switches.forEach((calls, worker) =>
    calls.forEach((gates, slot) =>
      gates.forEach((choice, gate) => {
        if (choice !== 0) written.push(`w${worker + 1} call ${slot + 1} gate ${gate} +${choice}`);
      }),
    ),
  );
  return `points [${written.join(', ')}]`;
}
