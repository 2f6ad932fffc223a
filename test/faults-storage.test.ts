/**
 * A full disk, a busy storm under another process's lock, and worker threads that die
 * mid-transaction: typed errors, nothing half-written, and the database usable afterwards.
 */
import { createStore as swallowStorageFull } from '../catalogue/swallow-storage-full';
import { runBusyStorm } from '../src/faults/busy-storm';
import { runDiskFull } from '../src/faults/disk-full';
import { busyPassed, diskFullPassed, workerPassed } from '../src/faults/run-faults';
import { runWorkerFault } from '../src/faults/worker-fault';
import { ScratchDatabases } from '../src/scenarios/scratch-db';

const scratch = new ScratchDatabases('faults-storage-');
afterAll(() => scratch.removeAll());

test('disk full: STORAGE_FULL, nothing written, integrity and model agree, recovery once the cap is raised', async () => {
  const figures = await runDiskFull({ cycles: 2, seed: 1, scratch });
  expect(figures.problems).toEqual([]);
  expect(figures).toMatchObject({
    cycles: 2,
    storageFullErrors: 2,
    integrityOk: 2,
    modelAgrees: 2,
    recovered: 2,
  });
  expect(figures.writesBeforeFull).toBeGreaterThan(0);
  expect(diskFullPassed(figures)).toBe(true);
});

test('a store that swallows SQLITE_FULL is flagged', async () => {
  const figures = await runDiskFull({
    cycles: 2,
    seed: 1,
    scratch,
    createStore: swallowStorageFull,
  });
  expect(diskFullPassed(figures)).toBe(false);
  expect(figures.problems.join('\n')).toMatch(/createEpicWithTasks disagrees with the model/);
});

test('busy storm: every write BUSY under the lock, nothing written, the half-write gone after the kill', async () => {
  const figures = await runBusyStorm({ writes: 10, seed: 4, scratch });
  expect(figures.problems).toEqual([]);
  expect(figures).toMatchObject({
    writes: 10,
    busyErrors: 10,
    otherOutcomes: 0,
    readsDuringLockOk: true,
    nothingWrittenDuringLock: true,
    halfWriteGone: true,
    integrityOk: true,
    writesAfterReleaseOk: 10,
  });
  expect(busyPassed(figures)).toBe(true);
});

test.each(['throw', 'terminate'] as const)(
  'a worker thread that fails mid-transaction (%s) is reported and rolled back',
  async (mode) => {
    const result = await runWorkerFault(mode, scratch);
    expect(result.problems).toEqual([]);
    expect(result.reported).toMatch(mode === 'throw' ? /worker fault/ : /terminated/);
    expect(result).toMatchObject({ rolledBack: true, integrityOk: true, nextWriteOk: true });
    if (mode === 'terminate') expect(result.heldLockMidTransaction).toBe(true);
    expect(workerPassed(result)).toBe(true);
  },
);
