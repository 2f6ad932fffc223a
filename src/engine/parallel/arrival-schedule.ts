/**
 * The arrivals of an open-model round: calls fall due at a fixed rate from the round's start,
 * whether or not the store keeps up. Lanes take the next due time in turn; a lane that is late
 * starts at once, and its call's response time counts from the due time, so queueing behind an
 * overloaded store shows in the latency instead of silently lowering the offered load.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class ArrivalSchedule {
  private taken = 0;
  private readonly intervalNs: number;

  constructor(
    private readonly startNs: number,
    ratePerSecond: number,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    this.intervalNs = 1e9 / ratePerSecond;
  }

  /** The due time of the next call (ns on the schedule's clock). */
  take(): number {
    const due = this.startNs + this.taken * this.intervalNs;
    this.taken += 1;
    return due;
  }
}

/**
 * Waits until `dueNs` (nanoseconds as `now()` counts them). Timers have millisecond grain, so a
 * call due less than a millisecond from now starts at once rather than spinning the CPU the
 * store under test needs.
 */
export async function waitUntil(dueNs: number, now: () => number): Promise<void> {
  const waitMs = (dueNs - now()) / 1e6;
  if (waitMs >= 1) await sleep(Math.floor(waitMs));
}
