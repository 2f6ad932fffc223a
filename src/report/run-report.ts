/**
 * The reports of `stampede run`: the same three files as `stampede fuzz`, from one sequential
 * run (its calls timed, its resources sampled, its failure with the run's replay command).
 */
import { failureKey } from '../fuzz/fuzz-run';
import { failureOf } from '../fuzz/failure-of';
import { ResourceSampler } from '../fuzz/resource-sampler';
import { RunRecorder } from '../fuzz/run-recorder';
import { WHOLE_RUN } from '../fuzz/seed-space';
import { timedStoreFactory } from '../fuzz/timed-store';
import type { PropertyOutcome } from '../engine/property-runner';
import type { StoreFactory } from '../target/store-factory';
import { writeReport } from './report-files';

export interface RunFigures {
  readonly seed: number;
  readonly cases: number;
  readonly operations: number;
  readonly errors: number;
  readonly replay: string | undefined;
}

export class RunReportRecorder {
  private recorder: RunRecorder | undefined;
  private sampler: ResourceSampler | undefined;
  private outcome: PropertyOutcome | undefined;

  /** The target's factory with every call timed; starts sampling. */
  wrapStore(createStore: StoreFactory, target: string, seed: number): StoreFactory {
    this.recorder = new RunRecorder({ kind: 'run', target, baseSeed: seed, shard: WHOLE_RUN });
    this.sampler = new ResourceSampler(this.recorder, 1_000);
    this.sampler.start();
    const recorder = this.recorder;
    return timedStoreFactory(createStore, (us) => recorder.recordLatency(us));
  }

  onOutcome(outcome: PropertyOutcome): void {
    this.outcome = outcome;
  }

  /** Writes report.md, report.json and report.html into `dir`; returns the Markdown file. */
  write(dir: string, figures: RunFigures): string | undefined {
    const { recorder, sampler, outcome } = this;
    if (recorder === undefined || sampler === undefined || outcome === undefined) return undefined;
    sampler.sample();
    sampler.stop();
    recorder.batches.push({
      round: 0,
      engine: 'sequential',
      seed: figures.seed,
      cases: figures.cases,
      operations: figures.operations,
      errors: figures.errors,
      durationMs: Math.round(outcome.durationMs * 10) / 10,
      failed: outcome.failed,
    });
    if (outcome.failed) {
      const failure = failureOf(outcome);
      recorder.failures.push({
        key: failureKey('sequential', failure),
        engine: 'sequential',
        property: 'tracker-sequential',
        seed: failure.seed,
        path: failure.path,
        round: 0,
        summary: failure.summary,
        calls: failure.calls ?? null,
        replay: figures.replay ?? '',
        savedFile: null,
        occurrences: 1,
        lanes: null,
      });
    }
    return writeReport(dir, recorder.report('completed')).markdown;
  }
}
