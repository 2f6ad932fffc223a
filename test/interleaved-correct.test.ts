/** The correct tracker passes 1,000 interleaved cases of 3 workers: no failure, no "unknown". */
import { runProperty } from '../src/engine/property-runner';
import {
  DEFAULT_INTERLEAVED,
  interleavedProperty,
  newInterleavedStats,
} from '../src/scenarios/interleaved-case';
import { SharedCaseFile } from '../src/scenarios/case-file';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory } from '../src/target/store-factory';

const scratch = new ScratchDatabases();
const caseFile = new SharedCaseFile(scratch);
afterAll(() => {
  caseFile.close();
  scratch.removeAll();
});

test('1,000 cases of 3 workers on the correct tracker all check out', async () => {
  const stats = newInterleavedStats();
  const outcome = await runProperty(
    interleavedProperty({
      createStore: defaultStoreFactory,
      scratch,
      caseFile,
      settings: { ...DEFAULT_INTERLEAVED, minWorkers: 3, maxWorkers: 3 },
      stats,
    }),
    { numRuns: 1000, seed: 1 },
  );
  expect(outcome.error ?? null).toBeNull();
  expect(outcome.failed).toBe(false);
  expect(stats.cases).toBe(1000);
  // Statements really interleaved: far more steps than calls, and no call gave up on BUSY.
  expect(stats.steps).toBeGreaterThan(3 * stats.operations);
  expect(stats.busy).toBe(0);
});
