/**
 * Every planted bug of the catalogue, shown deterministically without the engine: two stores on
 * one WAL file (one store for shared-connection), one of them parked on a chosen statement by a
 * `beforeStatement` hook while the other runs, then released. The variant shows its bug; the
 * correct tracker, under the very same forced interleaving, does not.
 */
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory, type StoreFactory } from '../src/target/store-factory';
import {
  SqliteTracker,
  isTrackerError,
  type StatementHooks,
  type TrackerErrorCode,
  type TrackerStore,
} from '../src/tracker';
import { invariantViolations, snapshotOfStore } from '../models/invariants';
import { CATALOGUE } from '../catalogue';
import { createStore as analyticsRounding } from '../catalogue/analytics-rounding';
import { createStore as deferredUpgrade } from '../catalogue/deferred-upgrade';
import { createStore as doubleTransition } from '../catalogue/double-transition';
import { createStore as lostUpdatePoints } from '../catalogue/lost-update-points';
import { createStore as maxIdPlusOne } from '../catalogue/max-id-plus-one';
import { createStore as phantomPage } from '../catalogue/phantom-page';
import { createStore as sharedConnection } from '../catalogue/shared-connection';
import { createStore as splitEpicWithTasks } from '../catalogue/split-epic-with-tasks';
import {
  CACHE_LIMIT,
  StaleReadCacheTracker,
  createStore as staleReadCache,
} from '../catalogue/stale-read-cache';

const scratch = new ScratchDatabases('catalogue-variants-');
afterAll(() => scratch.removeAll());

const correct: StoreFactory = defaultStoreFactory;

// ---------------------------------------------------------------------------------------------
// Forcing an interleaving by hand

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Statement hooks of one store that can park one statement: once armed, the nth statement of
 * that name waits until `release()`; `reached` settles when it is parked. Every statement name
 * is recorded in `seen`.
 */
class Parking {
  readonly reached = deferred();
  readonly gate = deferred();
  readonly seen: string[] = [];
  private armed: { name: string; remaining: number } | undefined;

  readonly hooks: StatementHooks = {
    beforeStatement: (event) => {
      this.seen.push(event.name);
      const armed = this.armed;
      if (armed === undefined || armed.name !== event.name) return undefined;
      armed.remaining -= 1;
      if (armed.remaining > 0) return undefined;
      this.armed = undefined;
      this.reached.resolve();
      return this.gate.promise;
    },
  };

  arm(name: string, nth = 1): void {
    this.armed = { name, remaining: nth };
  }

  release(): void {
    this.gate.resolve();
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: TrackerErrorCode | 'UNTYPED' };

function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value): Outcome<T> => ({ ok: true, value }),
    (error: unknown): Outcome<T> => ({
      ok: false,
      code: isTrackerError(error) ? error.code : 'UNTYPED',
    }),
  );
}

/** Stores opened for one scenario, closed (and their file discarded) at the end. */
class Rig {
  readonly dbPath = scratch.next();
  private readonly stores: TrackerStore[] = [];

  async open(createStore: StoreFactory, hooks?: StatementHooks): Promise<TrackerStore> {
    const store = await createStore({
      dbPath: this.dbPath,
      poolSize: 1,
      ...(hooks !== undefined ? { hooks } : {}),
    });
    this.stores.push(store);
    return store;
  }

  /** The correct tracker on the same file: reads the truth, whatever the variant's bug. */
  inspector(): Promise<TrackerStore> {
    return this.open(correct);
  }

  async close(): Promise<void> {
    for (const store of this.stores) await store.close();
    scratch.discard(this.dbPath);
  }
}

async function withRig<T>(scenario: (rig: Rig) => Promise<T>): Promise<T> {
  const rig = new Rig();
  try {
    return await scenario(rig);
  } finally {
    await rig.close();
  }
}

/**
 * Two workers: A (store `a`, hooks `parking`) and B (store `b`), with B's back-off after
 * SQLITE_BUSY waiting until A is released (so a correct store's lock holder is never raced).
 */
async function twoWorkers(rig: Rig, createStore: StoreFactory) {
  const parking = new Parking();
  const bBlocked = deferred();
  const a = await rig.open(createStore, parking.hooks);
  const b = await rig.open(createStore, {
    backoff: async () => {
      bBlocked.resolve();
      await parking.gate.promise;
      await sleep(2);
    },
  });
  return { a, b, parking, bBlocked };
}

/**
 * The forced interleaving: A's call runs up to the parked statement; B's call runs to its end
 * (or until it blocks on A's lock, or 50 ms when it waits on something in-process); A resumes.
 */
async function interleave<A, B>(
  parking: Parking,
  park: { name: string; nth?: number },
  first: () => Promise<A>,
  second: () => Promise<B>,
  bBlocked?: Deferred,
): Promise<[Outcome<A>, Outcome<B>]> {
  parking.arm(park.name, park.nth);
  const a = outcome(first());
  const ranThrough = a.then(() => {
    throw new Error(`worker A never reached statement ${park.name}`);
  });
  await Promise.race([parking.reached.promise, ranThrough]);
  const b = outcome(second());
  await Promise.race([b, sleep(50), ...(bBlocked !== undefined ? [bBlocked.promise] : [])]);
  parking.release();
  return [await a, await b];
}

/** A client, an epic with one task per story-points figure, and every task started. */
async function seedStartedTasks(store: TrackerStore, storyPoints: readonly number[]) {
  await store.createClient({ clientKey: 'acme', name: 'Acme' });
  const { epic, tasks } = await store.createEpicWithTasks(
    { clientId: 1, epicKey: 'E-1', title: 'Epic' },
    storyPoints.map((points, i) => ({
      taskKey: `T-${i + 1}`,
      title: `Task ${i + 1}`,
      storyPoints: points,
    })),
  );
  for (const task of tasks) await store.startTask(task.id);
  return { epicId: epic.id, taskIds: tasks.map((t) => t.id) };
}

async function finalCheck(rig: Rig, epicId: number) {
  const inspector = await rig.inspector();
  return {
    problems: invariantViolations(await snapshotOfStore(inspector)),
    epic: await inspector.getEpic(epicId),
  };
}

// ---------------------------------------------------------------------------------------------

describe('lost-update-points: A parks at beginWrite after reading pointsEarned, B completes another task', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const { a, b, parking, bBlocked } = await twoWorkers(rig, createStore);
      const { epicId, taskIds } = await seedStartedTasks(a, [3, 5]);
      const outcomes = await interleave(
        parking,
        { name: 'beginWrite' },
        () => a.completeTask(taskIds[0] as number),
        () => b.completeTask(taskIds[1] as number),
        bBlocked,
      );
      return { outcomes, ...(await finalCheck(rig, epicId)) };
    });

  test('the variant loses B’s points', async () => {
    const { outcomes, problems, epic } = await scenario(lostUpdatePoints);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(epic.pointsEarned).toBe(3);
    expect(problems).toEqual([expect.stringMatching(/pointsEarned 3, but .* carry 8/)]);
  });

  test('the correct tracker earns both', async () => {
    const { outcomes, problems, epic } = await scenario(correct);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(epic.pointsEarned).toBe(8);
    expect(problems).toEqual([]);
  });
});

describe('split-epic-with-tasks: A parks at its second insertTask, B reads the epic', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const { a, b, parking } = await twoWorkers(rig, createStore);
      await a.createClient({ clientKey: 'acme', name: 'Acme' });
      const [created, seen] = await interleave(
        parking,
        { name: 'insertTask', nth: 2 },
        () =>
          a.createEpicWithTasks({ clientId: 1, epicKey: 'E-1', title: 'Epic' }, [
            { taskKey: 'T-1', title: 'One' },
            { taskKey: 'T-2', title: 'Two' },
          ]),
        async () => ({
          analytics: await outcome(b.getEpicAnalytics(1)),
          tasks: await b.listTasks({ epicId: 1 }),
        }),
      );
      const inspector = await rig.inspector();
      return { created, seen, finalTasks: (await inspector.listTasks()).total };
    });

  test('the variant lets a reader see the epic with 1 of its 2 tasks', async () => {
    const { created, seen, finalTasks } = await scenario(splitEpicWithTasks);
    expect(created.ok).toBe(true);
    expect(seen.ok && seen.value.analytics).toMatchObject({ ok: true, value: { totalTasks: 1 } });
    expect(seen.ok && seen.value.tasks.total).toBe(1);
    expect(finalTasks).toBe(2);
  });

  test('the correct tracker shows all of it or none', async () => {
    const { created, seen, finalTasks } = await scenario(correct);
    expect(created.ok).toBe(true);
    expect(seen.ok && seen.value.analytics).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(seen.ok && seen.value.tasks.total).toBe(0);
    expect(finalTasks).toBe(2);
  });
});

describe('max-id-plus-one: A parks at beginWrite after reading MAX(id)+1, B creates a client', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const { a, b, parking, bBlocked } = await twoWorkers(rig, createStore);
      const outcomes = await interleave(
        parking,
        { name: 'beginWrite' },
        () => a.createClient({ clientKey: 'acme', name: 'Acme' }),
        () => b.createClient({ clientKey: 'globex', name: 'Globex' }),
        bBlocked,
      );
      const inspector = await rig.inspector();
      const clients = (await inspector.listClients()).data.map((c) => [c.id, c.clientKey]);
      return { outcomes, clients };
    });

  test('the variant refuses a unique client with DUPLICATE_KEY', async () => {
    const { outcomes, clients } = await scenario(maxIdPlusOne);
    expect(outcomes).toEqual([
      { ok: false, code: 'DUPLICATE_KEY' },
      { ok: true, value: expect.objectContaining({ id: 1, clientKey: 'globex' }) },
    ]);
    expect(clients).toEqual([[1, 'globex']]);
  });

  test('the correct tracker gives A the next id', async () => {
    const { outcomes, clients } = await scenario(correct);
    expect(outcomes).toEqual([
      { ok: true, value: expect.objectContaining({ id: 2, clientKey: 'acme' }) },
      { ok: true, value: expect.objectContaining({ id: 1, clientKey: 'globex' }) },
    ]);
    expect(clients).toEqual([
      [1, 'globex'],
      [2, 'acme'],
    ]);
  });
});

describe('deferred-upgrade: A parks at setTaskStatus after its deferred reads, B completes', () => {
  const scenario = (createStore: StoreFactory, storyPoints: number[], sameTask: boolean) =>
    withRig(async (rig) => {
      const { a, b, parking, bBlocked } = await twoWorkers(rig, createStore);
      const { epicId, taskIds } = await seedStartedTasks(a, storyPoints);
      const outcomes = await interleave(
        parking,
        { name: 'setTaskStatus' },
        () => a.completeTask(taskIds[0] as number),
        () => b.completeTask(taskIds[sameTask ? 0 : 1] as number),
        bBlocked,
      );
      const trace = parking.seen.slice(parking.seen.lastIndexOf('beginRead'));
      return { outcomes, trace, ...(await finalCheck(rig, epicId)) };
    });

  test('the variant replays its writes from the stale snapshot and loses B’s points', async () => {
    const { outcomes, trace, problems, epic } = await scenario(deferredUpgrade, [3, 5], false);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    // The upgrade failed (SQLITE_BUSY_SNAPSHOT) and only the writes were replayed.
    expect(trace).toEqual([
      'beginRead',
      'taskById',
      'epicPointsById',
      'setTaskStatus',
      'rollback',
      'beginWrite',
      'setTaskStatus',
      'setPointsEarned',
      'refreshEpicStatus',
      'commit',
    ]);
    expect(epic.pointsEarned).toBe(3);
    expect(problems).toEqual([expect.stringMatching(/pointsEarned 3, but .* carry 8/)]);
  });

  test('the variant completes the same task twice', async () => {
    const { outcomes } = await scenario(deferredUpgrade, [3], true);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
  });

  test('the correct tracker earns both, and refuses the second completion of one task', async () => {
    const two = await scenario(correct, [3, 5], false);
    expect(two.outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(two.epic.pointsEarned).toBe(8);
    expect(two.problems).toEqual([]);
    const one = await scenario(correct, [3], true);
    expect(one.outcomes).toEqual([
      { ok: true, value: expect.objectContaining({ status: 'completed' }) },
      { ok: false, code: 'INVALID_TRANSITION' },
    ]);
    expect(one.problems).toEqual([]);
  });
});

describe('stale-read-cache: A reads the epic, B changes it, A reads it again', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const { a, b, parking } = await twoWorkers(rig, createStore);
      await a.createClient({ clientKey: 'acme', name: 'Acme' });
      await a.createEpicWithTasks({ clientId: 1, epicKey: 'E-1', title: 'Epic' }, [
        { taskKey: 'T-1', title: 'One' },
      ]);
      const before = { epic: await a.getEpic(1), analytics: await a.getEpicAnalytics(1) };
      await b.startTask(1);
      await b.createTask({ epicId: 1, taskKey: 'T-2', title: 'Two' });
      const statements = parking.seen.length;
      const after = { epic: await a.getEpic(1), analytics: await a.getEpicAnalytics(1) };
      return { before, after, statementsOfRereads: parking.seen.slice(statements) };
    });

  test('the variant keeps serving the epic as it was, running no statement', async () => {
    const { before, after, statementsOfRereads } = await scenario(staleReadCache);
    expect(before.epic.status).toBe('pending');
    expect(after.epic.status).toBe('pending');
    expect(after.analytics.totalTasks).toBe(1);
    expect(statementsOfRereads).toEqual([]);
  });

  test('the correct tracker sees B’s writes', async () => {
    const { after, statementsOfRereads } = await scenario(correct);
    expect(after.epic.status).toBe('in_progress');
    expect(after.analytics.totalTasks).toBe(2);
    expect(statementsOfRereads).toEqual(['epicById', 'epicAnalytics']);
  });

  test('the variant is right alone (its own writes invalidate) and its cache stays bounded', async () => {
    await withRig(async (rig) => {
      const store = (await rig.open(staleReadCache)) as StaleReadCacheTracker;
      await seedStartedTasks(store, []);
      await store.createTask({ epicId: 1, taskKey: 'T-1', title: 'One' });
      expect((await store.getEpic(1)).status).toBe('pending');
      await store.startTask(1);
      expect((await store.getEpic(1)).status).toBe('in_progress');
      for (let i = 2; i <= CACHE_LIMIT + 20; i += 1) {
        await store.createEpic({ clientId: 1, epicKey: `E-${i}`, title: 'Epic' });
        await store.getEpic(i);
        await store.getEpicAnalytics(i);
      }
      expect(store.cachedEntries).toBe(2 * CACHE_LIMIT);
    });
  });
});

describe('shared-connection: concurrent calls on ONE store, the first parked inside its transaction', () => {
  /** createEpicWithTasks with a taken epic key parks at epicKeyTaken; completeTask runs. */
  const duplicateEpic = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const parking = new Parking();
      const store = await rig.open(createStore, parking.hooks);
      const { taskIds } = await seedStartedTasks(store, [3]);
      const task = taskIds[0] as number;
      const outcomes = await interleave(
        parking,
        { name: 'epicKeyTaken' },
        () =>
          store.createEpicWithTasks({ clientId: 1, epicKey: 'E-1', title: 'Again' }, [
            { taskKey: 'T-1', title: 'One' },
          ]),
        () => store.completeTask(task),
      );
      const inspector = await rig.inspector();
      return { outcomes, status: (await inspector.getTask(task)).status };
    });

  /** The shortest case, on an empty store: startTask(1) parks at taskById; createClient runs. */
  const missingTask = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const parking = new Parking();
      const store = await rig.open(createStore, parking.hooks);
      const outcomes = await interleave(
        parking,
        { name: 'taskById' },
        () => store.startTask(1),
        () => store.createClient({ clientKey: 'acme', name: 'Acme' }),
      );
      const inspector = await rig.inspector();
      return { outcomes, clients: (await inspector.listClients()).total };
    });

  test('the variant’s rollback takes a completion that completeTask reported done', async () => {
    const { outcomes, status } = await duplicateEpic(sharedConnection);
    expect(outcomes).toEqual([
      { ok: false, code: 'DUPLICATE_KEY' },
      { ok: true, value: expect.objectContaining({ status: 'completed' }) },
    ]);
    expect(status).toBe('in_progress');
  });

  test('the variant’s rollback takes a client that createClient reported created', async () => {
    const { outcomes, clients } = await missingTask(sharedConnection);
    expect(outcomes).toEqual([
      { ok: false, code: 'NOT_FOUND' },
      { ok: true, value: expect.objectContaining({ id: 1, clientKey: 'acme' }) },
    ]);
    expect(clients).toBe(0);
  });

  test('the correct tracker runs the calls one after the other', async () => {
    const first = await duplicateEpic(correct);
    expect(first.outcomes).toEqual([
      { ok: false, code: 'DUPLICATE_KEY' },
      { ok: true, value: expect.objectContaining({ status: 'completed' }) },
    ]);
    expect(first.status).toBe('completed');
    const second = await missingTask(correct);
    expect(second.outcomes).toEqual([
      { ok: false, code: 'NOT_FOUND' },
      { ok: true, value: expect.objectContaining({ id: 1, clientKey: 'acme' }) },
    ]);
    expect(second.clients).toBe(1);
  });
});

describe('analytics-rounding: 2 of 3 tasks completed, sequentially', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const store = await rig.open(createStore);
      const { epicId, taskIds } = await seedStartedTasks(store, [1, 1, 1]);
      await store.completeTask(taskIds[0] as number);
      await store.completeTask(taskIds[1] as number);
      return (await store.getEpicAnalytics(epicId)).progressPercentage;
    });

  test('the variant truncates 66.67 to 66.6', async () => {
    expect(await scenario(analyticsRounding)).toBe(66.6);
  });

  test('the correct tracker rounds it to 66.7', async () => {
    expect(await scenario(correct)).toBe(66.7);
  });
});

describe('double-transition: A parks at beginWrite after checking the status, B completes the same task', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const { a, b, parking, bBlocked } = await twoWorkers(rig, createStore);
      const { epicId, taskIds } = await seedStartedTasks(a, [3]);
      const task = taskIds[0] as number;
      const outcomes = await interleave(
        parking,
        { name: 'beginWrite' },
        () => a.completeTask(task),
        () => b.completeTask(task),
        bBlocked,
      );
      return { outcomes, ...(await finalCheck(rig, epicId)) };
    });

  test('the variant completes it twice and adds its points twice', async () => {
    const { outcomes, problems, epic } = await scenario(doubleTransition);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    expect(epic.pointsEarned).toBe(6);
    expect(problems).toEqual([expect.stringMatching(/pointsEarned 6, but .* carry 3/)]);
  });

  test('the correct tracker refuses the second completion', async () => {
    const { outcomes, problems, epic } = await scenario(correct);
    expect(outcomes).toEqual([
      { ok: false, code: 'INVALID_TRANSITION' },
      { ok: true, value: expect.objectContaining({ status: 'completed' }) },
    ]);
    expect(epic.pointsEarned).toBe(3);
    expect(problems).toEqual([]);
  });
});

describe('phantom-page: A parks at pageClients after counting, B creates a client', () => {
  const scenario = (createStore: StoreFactory) =>
    withRig(async (rig) => {
      const { a, b, parking, bBlocked } = await twoWorkers(rig, createStore);
      await a.createClient({ clientKey: 'acme', name: 'Acme' });
      const [page, created] = await interleave(
        parking,
        { name: 'pageClients' },
        () => a.listClients(),
        () => b.createClient({ clientKey: 'globex', name: 'Globex' }),
        bBlocked,
      );
      if (!page.ok) throw new Error(`listClients failed: ${page.code}`);
      return { total: page.value.total, rows: page.value.data.length, created: created.ok };
    });

  test('the variant returns 2 rows with total 1', async () => {
    expect(await scenario(phantomPage)).toEqual({ total: 1, rows: 2, created: true });
  });

  test('the correct tracker reads count and rows from one snapshot', async () => {
    expect(await scenario(correct)).toEqual({ total: 1, rows: 1, created: true });
  });
});

test('the registry lists every variant once, with a factory that honours the hooks', async () => {
  const names = CATALOGUE.map((entry) => entry.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(
    expect.arrayContaining([
      'no-points-on-complete',
      'lost-update-points',
      'split-epic-with-tasks',
      'max-id-plus-one',
      'deferred-upgrade',
      'stale-read-cache',
      'shared-connection',
      'analytics-rounding',
      'double-transition',
      'phantom-page',
    ]),
  );
  for (const entry of CATALOGUE) {
    expect(entry.bug).not.toMatch(/\n/);
    expect(entry.shortestCase).toBeGreaterThanOrEqual(2);
    await withRig(async (rig) => {
      const parking = new Parking();
      const store = await rig.open(entry.createStore, parking.hooks);
      expect(store).toBeInstanceOf(SqliteTracker);
      await store.createClient({ clientKey: 'acme', name: 'Acme' });
      // Every statement passed the seam (insertClient or insertClientWithId among them).
      expect(parking.seen.some((name) => name.startsWith('insertClient'))).toBe(true);
    });
  }
});
