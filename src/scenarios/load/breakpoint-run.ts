/**
 * `stampede breakpoint` on the tracker (or a target): the generic search and sweep of
 * src/engine/breakpoint driving load sessions. The knob is the offered rate (open model: calls
 * per second, one warm session for every level) or the number of concurrent clients (closed
 * model: a session per level). Every level is model-checked like any parallel run.
 */
import type { ProbeOutcome } from '../../engine/breakpoint/probe';
import { confirmFailures } from '../../engine/breakpoint/confirmed-probe';
import { searchBreakpoint, type BreakpointResult } from '../../engine/breakpoint/search';
import { kneeAgreement, linearSweep, type SweepResult } from '../../engine/breakpoint/sweep';
import type { Threshold } from '../../engine/thresholds';
import type { Mix } from '../parallel/mixes';
import type { TargetSpec } from '../parallel/target-spec';
import { judgeLevel, probeOutcomeOf } from './level-verdict';
import { LoadSession, type LevelResult, type LoadLevel } from './load-session';

export type Knob = 'rate' | 'clients';

export interface BreakpointSettings {
  readonly target: TargetSpec;
  readonly knob: Knob;
  readonly threads: number;
  /** Lanes per thread (rate knob: the concurrency cap of each thread). */
  readonly lanes: number;
  readonly poolSize: number;
  readonly mix: Mix;
  readonly mixName: string;
  readonly levelSeconds: number;
  readonly thresholds: readonly Threshold[];
  readonly seed: number;
  readonly start: number;
  readonly growth: number;
  readonly max: number;
  readonly min: number;
  readonly precision: number;
  readonly maxProbes: number;
  /** Steps of the confirming sweep (0: no sweep). */
  readonly sweepSteps: number;
  readonly sweepSpan: number;
  readonly onLevel?: (outcome: ProbeOutcome, result: LevelResult) => void;
}

export interface LevelRecord {
  readonly outcome: ProbeOutcome;
  readonly result: LevelResult;
}

export interface BreakpointRun {
  readonly settings: Omit<BreakpointSettings, 'onLevel' | 'target'> & { readonly target: string };
  readonly search: BreakpointResult;
  readonly sweep: SweepResult | undefined;
  /** |sweep knee - search knee| / search knee. */
  readonly agreement: number | null;
  readonly levels: readonly LevelRecord[];
  readonly elapsedMs: number;
}

export async function runBreakpoint(
  settings: BreakpointSettings,
  targetLabel: string,
): Promise<BreakpointRun> {
  const started = performance.now();
  const levels: LevelRecord[] = [];
  const prober = await proberFor(settings);
  try {
    const measureOnce = async (load: number, phase: ProbeOutcome['phase']) => {
      const result = await prober.measure(load);
      const outcome = probeOutcomeOf(load, phase, result, judgeLevel(result, settings.thresholds));
      levels.push({ outcome, result });
      settings.onLevel?.(outcome, result);
      return outcome;
    };
    const probe = confirmFailures(measureOnce);
    const search = await searchBreakpoint(probe, {
      start: settings.start,
      growth: settings.growth,
      max: settings.max,
      min: settings.min,
      precision: settings.precision,
      integer: settings.knob === 'clients',
      maxProbes: settings.maxProbes,
    });
    let sweep: SweepResult | undefined;
    if (settings.sweepSteps >= 2 && search.maxSustained !== null && search.breakingLoad !== null) {
      const knee = search.maxSustained;
      const from = Math.max(settings.min, knee * (1 - settings.sweepSpan));
      sweep = await linearSweep(probe, from, knee * (1 + settings.sweepSpan), settings.sweepSteps);
    }
    const { onLevel: _onLevel, target: _target, ...plain } = settings;
    return {
      settings: { ...plain, target: targetLabel },
      search,
      sweep,
      agreement: kneeAgreement(search.maxSustained, sweep?.knee ?? null),
      levels,
      elapsedMs: performance.now() - started,
    };
  } finally {
    await prober.close();
  }
}

/** Measures one level of the knob, on the run's seed (or the one given). */
export interface Prober {
  measure(load: number, seed?: number): Promise<LevelResult>;
  close(): Promise<void>;
}

export function levelAt(settings: BreakpointSettings, load: number, seed?: number): LoadLevel {
  return {
    ...(settings.knob === 'rate' ? { rate: load } : {}),
    seconds: settings.levelSeconds,
    mix: settings.mix,
    poolSize: settings.poolSize,
    // One seed for every level: levels then differ by their load alone. Streams drawn from
    // different seeds differ in cost (measured: the same 11k calls/s gave p99 7-82 ms over six
    // seeds, 2-19 ms over six runs of one seed), which blurred the knee.
    seed: seed ?? settings.seed,
  };
}

export async function proberFor(settings: BreakpointSettings): Promise<Prober> {
  // Half a second of back-to-back calls first: JIT and page cache warm, not reported.
  const warmUp: LoadLevel = {
    seconds: 0.5,
    mix: settings.mix,
    poolSize: settings.poolSize,
    seed: settings.seed,
  };
  if (settings.knob === 'rate') {
    const session = await LoadSession.open(
      { target: settings.target, threads: settings.threads, lanes: settings.lanes },
      warmUp,
    );
    return {
      measure: (load, seed) => session.measure(levelAt(settings, load, seed)),
      close: () => session.close(),
    };
  }
  return {
    async measure(load, seed) {
      const threads = Math.min(settings.threads, load);
      const session = await LoadSession.open(
        { target: settings.target, threads, lanes: Math.ceil(load / threads) },
        warmUp,
      );
      try {
        return await session.measure(levelAt(settings, load, seed));
      } finally {
        await session.close();
      }
    },
    close: async () => undefined,
  };
}
