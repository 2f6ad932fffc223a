/**
 * The arrival schedule of a paced round: due times evenly spaced at 1e9 / rate ns from the
 * start, bad rates refused; waitUntil starts a call due within a millisecond at once and
 * otherwise sleeps about the time left.
 */
import { ArrivalSchedule, waitUntil } from '../src/engine/parallel/arrival-schedule';

const nowNs = () => Number(process.hrtime.bigint());

describe('ArrivalSchedule', () => {
  test.each([
    [0, 1_000],
    [5_000_000, 200],
    [123_456_789, 3],
    [42, 1e9],
  ])('start %d ns at %d/s: due times step by 1e9 / rate from the start', (start, rate) => {
    const schedule = new ArrivalSchedule(start, rate);
    const due = Array.from({ length: 50 }, () => schedule.take());
    expect(due[0]).toBe(start);
    for (let k = 0; k < due.length; k += 1) {
      expect(due[k]).toBeCloseTo(start + (k * 1e9) / rate, 3);
    }
    for (let k = 1; k < due.length; k += 1) {
      expect(due[k]! - due[k - 1]!).toBeCloseTo(1e9 / rate, 3);
    }
  });

  test('a fractional rate spaces calls further apart than a second', () => {
    const schedule = new ArrivalSchedule(0, 0.5);
    expect([schedule.take(), schedule.take(), schedule.take()]).toEqual([0, 2e9, 4e9]);
  });

  test('two schedules are independent; taking never rewinds', () => {
    const a = new ArrivalSchedule(0, 100);
    const b = new ArrivalSchedule(0, 100);
    a.take();
    a.take();
    expect(b.take()).toBe(0);
    expect(a.take()).toBe(2e7);
  });

  test.each([0, -5, NaN, Infinity, -Infinity])('a rate of %d throws RangeError', (rate) => {
    expect(() => new ArrivalSchedule(0, rate)).toThrow(RangeError);
    expect(() => new ArrivalSchedule(0, rate)).toThrow(/ratePerSecond must be a positive number/);
  });
});

describe('waitUntil', () => {
  /** Median of several timings of `run`, in ms. */
  async function medianMs(times: number, run: () => Promise<void>): Promise<number> {
    const samples: number[] = [];
    for (let k = 0; k < times; k += 1) {
      const started = nowNs();
      await run();
      samples.push((nowNs() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  }

  test('a due time under 1 ms away (or past) returns at once, without a timer', async () => {
    // Baseline: the cost of one await of a resolved promise, and of the shortest timer.
    const immediate = await medianMs(9, () => Promise.resolve());
    const shortestTimer = await medianMs(
      9,
      () => new Promise<void>((resolve) => setTimeout(resolve, 1)),
    );
    const soon = await medianMs(9, () => waitUntil(nowNs() + 900_000, nowNs));
    const past = await medianMs(9, () => waitUntil(nowNs() - 5e9, nowNs));
    // The fake clock says the call is due in 0.5 ms, whatever the real time.
    let clockCalls = 0;
    const fake = await medianMs(9, () =>
      waitUntil(1_500_000, () => {
        clockCalls += 1;
        return 1_000_000;
      }),
    );
    expect(clockCalls).toBe(9);
    for (const elapsed of [soon, past, fake]) {
      expect(elapsed).toBeLessThan(shortestTimer);
      expect(elapsed).toBeLessThan(immediate + 0.5);
    }
  });

  test('a due time further away waits roughly the time left', async () => {
    const baseline = await medianMs(3, () => new Promise<void>((r) => setTimeout(r, 40)));
    const waited = await medianMs(3, () => waitUntil(nowNs() + 40e6, nowNs));
    const longer = await medianMs(3, () => waitUntil(nowNs() + 120e6, nowNs));
    // waitUntil sleeps floor(ms left): about the time left (timers may fire a little early).
    expect(waited).toBeGreaterThanOrEqual(37);
    expect(waited).toBeLessThan(baseline * 1.5 + 10);
    expect(waited).toBeGreaterThan(baseline * 0.5);
    expect(longer).toBeGreaterThanOrEqual(117);
    // Three times the wait takes clearly longer than the short one, and not wildly more.
    expect(longer).toBeGreaterThan(waited * 2);
    expect(longer).toBeLessThan(baseline * 3 * 1.5 + 30);
  });

  test('the wait is measured on the clock given, not the wall clock', async () => {
    // The given clock runs 10 s behind: a due time 30 ms ahead of it is 30 ms away.
    const offset = 10e9;
    const behind = () => nowNs() - offset;
    const started = nowNs();
    await waitUntil(behind() + 30e6, behind);
    const elapsed = (nowNs() - started) / 1e6;
    expect(elapsed).toBeGreaterThanOrEqual(27);
    expect(elapsed).toBeLessThan(1_000);
  });
});
