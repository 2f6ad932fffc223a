/**
 * A new engine plugs into the fuzz loop with one adapter: here a stand-in for a parallel
 * engine that times its own calls (as worker threads would) and finds a failure with lanes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FailureStore } from '../src/engine/failure-store';
import type { FuzzEngine } from '../src/fuzz/engines';
import { fuzz } from '../src/fuzz/fuzz-run';
import { RunRecorder } from '../src/fuzz/run-recorder';
import { roundOf, seedOf, WHOLE_RUN } from '../src/fuzz/seed-space';
import { encodeHistogram, newHistogram, recordMicros } from '../src/report/latency';
import { renderMarkdown } from '../src/report/markdown-report';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory } from '../src/target/store-factory';

function standInEngine(failOnRound: number): FuzzEngine & { seeds: number[] } {
  const seeds: number[] = [];
  return {
    name: 'parallel',
    property: 'tracker-parallel',
    settings: { workers: 2 },
    seeds,
    async runBatch(seed) {
      seeds.push(seed);
      const h = newHistogram();
      [100, 200, 300].forEach((us) => recordMicros(h, us));
      const failing = seeds.length - 1 === failOnRound;
      return {
        cases: 5,
        operations: 3,
        errors: 1,
        latencyHistogram: encodeHistogram(h),
        failure: failing
          ? {
              seed,
              path: '0',
              summary: 'two workers completed the same task',
              caseKey: 'double completion',
              calls: 2,
              lanes: {
                workers: 2,
                ops: [
                  { worker: 0, invoke: 0, response: 3, call: 'completeTask(1)', outcome: 'ok' },
                  { worker: 1, invoke: 1, response: Infinity, call: 'getTask(1)', outcome: '-' },
                ],
              },
            }
          : undefined,
      };
    },
    async replay() {
      return { failed: false, report: 'the case passes' };
    },
  };
}

test('an engine adapter gets the round seeds, and its batches, latency and failures reach the report', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-engine-'));
  const engine = standInEngine(1);
  const recorder = new RunRecorder({ kind: 'fuzz', target: 't', baseSeed: 9, shard: WHOLE_RUN });
  const scratch = new ScratchDatabases();
  const reason = await fuzz({
    engines: [engine],
    createStore: defaultStoreFactory,
    targetFlag: undefined,
    targetName: 't',
    durationMs: 60_000,
    maxRounds: 3,
    baseSeed: 9,
    shard: WHOLE_RUN,
    casesPerBatch: 5,
    keepGoing: true,
    maxFailures: 10,
    failureStore: new FailureStore(dir),
    scratch,
    recorder,
    shouldStop: () => false,
  });
  scratch.removeAll();
  expect(reason).toBe('rounds');
  expect(engine.seeds).toEqual([0, 1, 2].map((k) => seedOf(9, roundOf(WHOLE_RUN, k))));
  const report = recorder.report('completed');
  expect(report.scenarios).toMatchObject([
    { name: 'parallel', cases: 15, operations: 9, errors: 3, passed: false, failures: 1 },
  ]);
  expect(report.scenarios[0]?.latencyMicros).toMatchObject({ count: 9, max: 300 });
  const [failure] = report.failures;
  expect(failure?.replay).toBe(
    `npx stampede replay --engine parallel --seed ${engine.seeds[1]} --path 0`,
  );
  expect(failure?.lanes?.ops[1]?.response).toBeNull(); // never returned, as JSON can say it
  expect(fs.readdirSync(dir)).toHaveLength(1);
  expect(renderMarkdown(report)).toContain('| parallel | ✗ |');
});
