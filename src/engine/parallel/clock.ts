/**
 * The one clock every thread of the process shares: `process.hrtime.bigint()` is monotonic and
 * process-wide (unlike `performance.now()`, whose origin differs per worker thread). Times in a
 * history are nanoseconds since an origin the main thread picks, as plain numbers (2^53 ns is
 * over 100 days, far beyond any run).
 */
export function clockNow(): bigint {
  return process.hrtime.bigint();
}

export function sinceOrigin(origin: bigint): number {
  return Number(process.hrtime.bigint() - origin);
}
