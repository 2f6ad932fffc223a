/**
 * A level fails only if it fails again when measured a second time. Near the knee a single
 * stall (a GC pause, a checkpoint, a busy back-off) can push one level's p99 over the line;
 * overload, the thing searched for, fails every time. Passing levels are measured once.
 */
import type { Probe, ProbeOutcome } from './probe';

export function confirmFailures(probe: Probe, onDiscarded?: (first: ProbeOutcome) => void): Probe {
  return async (load, phase) => {
    const first = await probe(load, phase);
    if (first.passed) return first;
    const second = await probe(load, phase);
    if (second.passed) onDiscarded?.(first);
    return { ...second, retried: true };
  };
}
