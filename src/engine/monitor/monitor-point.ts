/** One point of the resource monitor's timeline, and how two adjacent points become one. */

export interface MonitorPoint {
  /** End of the span the point stands for, since the monitor started (or was reset). */
  readonly elapsedMs: number;
  /** Samples merged into this point. */
  readonly samples: number;
  /** Wall time the point stands for: the weight of its means. */
  readonly spanMs: number;
  /** Mean over the span. */
  readonly cpuPercent: number;
  /** Event-loop utilisation (0..1), mean over the span. */
  readonly elu: number;
  /** Memory and event-loop delay: the highest of the span. */
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  /**
   * Pluggable gauges read in the span, highest value (a level's peak, a counter's latest); a
   * gauge whose every read in the span failed is absent.
   */
  readonly gauges: Readonly<Record<string, number>>;
}

// Weighted by wall time, a merged CPU % is the CPU time of both spans over their wall time.
function timeWeightedMean(a: number, aMs: number, b: number, bMs: number): number {
  const total = aMs + bMs;
  return total > 0 ? (a * aMs + b * bMs) / total : (a + b) / 2;
}

function maxGauges(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const merged: Record<string, number> = { ...a };
  for (const [name, value] of Object.entries(b)) {
    const earlier = merged[name];
    merged[name] = earlier === undefined ? value : Math.max(earlier, value);
  }
  return merged;
}

export function mergeMonitorPoints(a: MonitorPoint, b: MonitorPoint): MonitorPoint {
  return {
    elapsedMs: b.elapsedMs,
    samples: a.samples + b.samples,
    spanMs: a.spanMs + b.spanMs,
    cpuPercent: timeWeightedMean(a.cpuPercent, a.spanMs, b.cpuPercent, b.spanMs),
    elu: timeWeightedMean(a.elu, a.spanMs, b.elu, b.spanMs),
    rssMb: Math.max(a.rssMb, b.rssMb),
    heapUsedMb: Math.max(a.heapUsedMb, b.heapUsedMb),
    externalMb: Math.max(a.externalMb, b.externalMb),
    eventLoopDelayP99Ms: Math.max(a.eventLoopDelayP99Ms, b.eventLoopDelayP99Ms),
    eventLoopDelayMaxMs: Math.max(a.eventLoopDelayMaxMs, b.eventLoopDelayMaxMs),
    gauges: maxGauges(a.gauges, b.gauges),
  };
}
