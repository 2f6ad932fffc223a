/**
 * The opt-in suites (stress, endurance): `stampede fuzz` in-process for a budget of seconds,
 * both engines, reports written like the CLI's. Skipped unless their variable is set, with the
 * instruction in the skipped test's name.
 */
import path from 'node:path';
import { FailureStore } from '../src/engine/failure-store';
import { freshSeed } from '../src/engine/property-runner';
import { engineFor } from '../src/fuzz/engine-registry';
import { fuzz } from '../src/fuzz/fuzz-run';
import { ResourceSampler, sampleIntervalMs } from '../src/fuzz/resource-sampler';
import { RunRecorder } from '../src/fuzz/run-recorder';
import { WHOLE_RUN } from '../src/fuzz/seed-space';
import { DEFAULT_REPORT_DIR, writeReport } from '../src/report/report-files';
import type { Report } from '../src/report/report-schema';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { loadTarget } from '../src/target/load-target';

export function optInTest(
  variable: string,
  suite: string,
  seconds: number,
  check: (report: Report) => void,
): void {
  const enabled = process.env[variable] === '1';
  const title = `${suite}: both engines fuzzed for ${seconds} s find no failure`;
  if (!enabled) {
    test.skip(`${title} (opt-in: set ${variable}=1 to run it)`, () => undefined);
    return;
  }
  test(
    title,
    async () => {
      const target = loadTarget();
      const seed = Number(process.env.STAMPEDE_SEED ?? freshSeed());
      const recorder = new RunRecorder({
        kind: 'fuzz',
        target: target.name,
        baseSeed: seed,
        shard: WHOLE_RUN,
      });
      const sampler = new ResourceSampler(recorder, sampleIntervalMs(seconds * 1000));
      const scratch = new ScratchDatabases();
      sampler.start();
      try {
        await fuzz({
          engines: [engineFor('sequential'), engineFor('interleaved')],
          createStore: target.createStore,
          targetFlag: process.env.STAMPEDE_TARGET,
          targetName: target.name,
          durationMs: seconds * 1000,
          maxRounds: undefined,
          baseSeed: seed,
          shard: WHOLE_RUN,
          casesPerBatch: 100,
          keepGoing: true,
          maxFailures: 5,
          failureStore: new FailureStore(),
          scratch,
          recorder,
          shouldStop: () => false,
        });
      } finally {
        sampler.sample();
        sampler.stop();
        scratch.removeAll();
      }
      const report = recorder.report('completed');
      const files = writeReport(path.join(DEFAULT_REPORT_DIR, suite), report);
      const failures = report.failures.map((f) => `${f.summary}\nreplay: ${f.replay}`);
      if (failures.length > 0) {
        throw new Error(`${failures.join('\n\n')}\n\nreport: ${files.markdown}`);
      }
      expect(report.totals.cases).toBeGreaterThan(0);
      check(report);
    },
    seconds * 1000 + 120_000,
  );
}
