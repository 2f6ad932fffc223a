/** Cases sharing one emptied file behave exactly as cases on new files: same ids, same results. */
import fc from 'fast-check';
import { SharedCaseFile } from '../src/scenarios/case-file';
import {
  DEFAULT_INTERLEAVED,
  interleavedCaseArbitrary,
  runInterleavedCase,
} from '../src/scenarios/interleaved-case';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { sequentialProperty } from '../src/scenarios/sequential-case';
import { createStore as noPointsOnComplete } from '../catalogue/no-points-on-complete';
import { defaultStoreFactory } from '../src/target/store-factory';

const scratch = new ScratchDatabases();
afterAll(() => scratch.removeAll());

test('a reset empties every table and restarts the ids', async () => {
  const file = new SharedCaseFile(scratch);
  try {
    for (let round = 0; round < 2; round += 1) {
      const store = await defaultStoreFactory({ dbPath: file.path });
      const client = await store.createClient({ clientKey: 'acme', name: 'Acme' });
      const made = await store.createEpicWithTasks(
        { clientId: client.id, epicKey: 'E-1', title: 'One' },
        [{ taskKey: 'T-1', title: 'Task' }],
      );
      expect([client.id, made.epic.id, made.tasks[0]?.id]).toEqual([1, 1, 1]);
      await store.close();
      file.reset();
      const reopened = await defaultStoreFactory({ dbPath: file.path });
      expect((await reopened.listClients()).total).toBe(0);
      expect((await reopened.listTasks()).total).toBe(0);
      await reopened.close();
    }
  } finally {
    file.close();
  }
});

test('interleaved cases observe the same histories on a shared file as on new files', async () => {
  const cases = fc.sample(interleavedCaseArbitrary(DEFAULT_INTERLEAVED), { numRuns: 40, seed: 5 });
  const file = new SharedCaseFile(scratch);
  try {
    for (const c of cases) {
      const options = { createStore: defaultStoreFactory, scratch, settings: DEFAULT_INTERLEAVED };
      const fresh = await runInterleavedCase(c, options);
      const shared = await runInterleavedCase(c, { ...options, caseFile: file });
      expect(shared.history).toEqual(fresh.history);
    }
  } finally {
    file.close();
  }
});

test('sequential cases on a shared file: the correct tracker passes, and a planted bug fails', async () => {
  const file = new SharedCaseFile(scratch);
  try {
    const correct = sequentialProperty({
      createStore: defaultStoreFactory,
      scratch,
      caseFile: file,
      maxCommands: 30,
    });
    await fc.assert(correct, { numRuns: 30, seed: 3 });
    // Each case left its connection on the shelf for the next one.
    expect(file.connections.size).toBeGreaterThan(0);
    const planted = sequentialProperty({
      createStore: noPointsOnComplete,
      scratch,
      caseFile: file,
      maxCommands: 30,
    });
    await expect(fc.assert(planted, { numRuns: 200, seed: 3 })).rejects.toThrow();
  } finally {
    file.close();
  }
  expect(file.connections.size).toBe(0);
});
