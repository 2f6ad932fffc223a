/** A failing parallel run as an engine failure: its report, its witness as lanes, its command. */
import type { ParallelOutcome } from '../scenarios/parallel/parallel-case';
import { witnessLanes } from '../scenarios/parallel/parallel-report';
import type { EngineFailure } from './engines';

export function parallelFailureOf(
  seed: number,
  outcome: ParallelOutcome,
  report: string,
  replay: string,
  savedFile: string | undefined,
): EngineFailure {
  const violation = outcome.check?.violation;
  const drawn = violation === undefined ? undefined : witnessLanes(violation);
  return {
    seed,
    path: '',
    summary: report,
    // The witness is what went wrong; its times, ids and the seed differ from run to run. The
    // calls and outcomes, numbers aside, name the failure (the "again:" line names the seed).
    caseKey: (drawn === undefined
      ? report.split('\n').filter((line) => !line.startsWith('again:'))
      : [...outcome.problems, ...drawn.lanes.map((op) => `${op.call} -> ${op.outcome}`)]
    )
      .join('\n')
      .replace(/\d+/g, '#'),
    calls: violation?.witness.minimal.length,
    lanes: drawn === undefined ? undefined : { workers: drawn.workers.length, ops: drawn.lanes },
    replay,
    ...(savedFile !== undefined ? { savedFile } : {}),
  };
}
