/**
 * The planted performance bugs, on real WAL files: each gives exactly the correct tracker's
 * results, yet checkpoint-every-write and lock-across-await take several times as long for the
 * same calls (a ratio measured in the same test, never an absolute time), and
 * unreleased-connection leaks one pooled connection per lookup of a missing client until calls
 * fail with POOL_TIMEOUT.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CATALOGUE } from '../catalogue';
import { SLOW_VARIANTS } from '../catalogue/slow';
import { CheckpointEveryWriteTracker } from '../catalogue/slow/checkpoint-every-write';
import { UnreleasedConnectionTracker } from '../catalogue/slow/unreleased-connection';
import { snapshotOfStore } from '../models/invariants';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory, type StoreFactory } from '../src/target/store-factory';
import {
  SqliteTracker,
  TrackerError,
  isTrackerError,
  type StoreOptions,
  type TrackerStore,
} from '../src/tracker';

const scratch = new ScratchDatabases('slow-variants-');
const diskDir = fs.mkdtempSync(path.join(diskBackedRoot(), 'slow-variants-fsync-'));
let diskCounter = 0;
afterAll(() => {
  scratch.removeAll();
  fs.rmSync(diskDir, { recursive: true, force: true });
});

/**
 * fsync is most of what checkpoint-every-write adds, and on a memory file system (where scratch
 * databases go by default) it costs nothing: that variant is timed on a disk-backed folder.
 */
function diskBackedRoot(): string {
  const TMPFS_MAGIC = 0x01021994;
  const tmp = os.tmpdir();
  if (fs.statfsSync(tmp).type !== TMPFS_MAGIC) return tmp;
  const local = path.join(__dirname, '..', 'tmp');
  fs.mkdirSync(local, { recursive: true });
  return local;
}

function diskPath(): string {
  diskCounter += 1;
  return path.join(diskDir, `case-${diskCounter}.db`);
}

const variant = (name: string) => {
  const found = SLOW_VARIANTS.find((v) => v.name === name);
  if (found === undefined) throw new Error(`No slow variant named ${name}`);
  return found;
};

async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

type Outcome = { ok: unknown } | { error: string };

async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await call() };
  } catch (error) {
    if (!isTrackerError(error)) throw error;
    return { error: error.code };
  }
}

/** A short sequence touching every kind of call, failures included; the outcome of each. */
async function shortSequence(store: TrackerStore): Promise<Outcome[]> {
  const calls: (() => Promise<unknown>)[] = [
    () => store.createClient({ clientKey: 'ACME', name: 'Acme' }),
    () => store.createClient({ clientKey: 'INIT', name: 'Initech', priorityLevel: 2 }),
    () => store.createClient({ clientKey: 'ACME', name: 'Again' }),
    () => store.createEpic({ clientId: 1, epicKey: 'E-1', title: 'Billing', pointsValue: 8 }),
    () => store.createEpic({ clientId: 99, epicKey: 'E-9', title: 'Nobody' }),
    () =>
      store.createEpicWithTasks({ clientId: 2, epicKey: 'E-2', title: 'Search' }, [
        { taskKey: 'T-1', title: 'Index', storyPoints: 3 },
        { taskKey: 'T-2', title: 'Query', storyPoints: 5, estimateMinutes: 90 },
        { taskKey: 'T-3', title: 'Rank', storyPoints: 2 },
      ]),
    () => store.createTask({ epicId: 1, taskKey: 'T-1', title: 'Invoice', storyPoints: 1 }),
    () => store.startTask(1),
    () => store.advanceTaskPhase(1),
    () => store.completeTask(1),
    () => store.startTask(2),
    () => store.completeTask(2),
    () => store.completeTask(3),
    () => store.startTask(1),
    () => store.getClient(1),
    () => store.getClient(99),
    () => store.getEpic(2),
    () => store.getTask(4),
    () => store.getTask(99),
    () => store.listClients(),
    () => store.listEpics({ clientId: 2 }),
    () => store.listTasks({ epicId: 2, status: 'completed' }),
    () => store.listTasks({ page: 2, pageSize: 2 }),
    () => store.getEpicAnalytics(2),
    () => store.getEpicAnalytics(1),
    () => store.getEpicAnalytics(99),
  ];
  const outcomes: Outcome[] = [];
  for (const call of calls) outcomes.push(await outcomeOf(call));
  return outcomes;
}

async function withStore<T>(
  factory: StoreFactory,
  dbPath: string,
  use: (store: TrackerStore) => Promise<T>,
): Promise<T> {
  const store = await factory({ dbPath });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('the slow catalogue', () => {
  test('names its files, one entry each, and stays out of the correctness catalogue', () => {
    const names = SLOW_VARIANTS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(fs.existsSync(path.join(__dirname, '..', 'catalogue', 'slow', `${name}.ts`))).toBe(
        true,
      );
      expect(CATALOGUE.map((entry) => entry.name)).not.toContain(name);
    }
    expect(SLOW_VARIANTS.map((v) => v.effect).sort()).toEqual([
      'latency',
      'pool-leak',
      'throughput',
    ]);
  });

  test.each(SLOW_VARIANTS.map((v) => [v.name, v] as const))(
    '%s gives the correct results',
    async (_, slow) => {
      const expected = await withStore(defaultStoreFactory, scratch.next(), async (store) => ({
        outcomes: await shortSequence(store),
        contents: await snapshotOfStore(store),
      }));
      const actual = await withStore(slow.createStore, scratch.next(), async (store) => ({
        outcomes: await shortSequence(store),
        contents: await snapshotOfStore(store),
      }));
      expect(actual).toEqual(expected);
      // The sequence has its share of failures, so it compares those too.
      expect(expected.outcomes.filter((o) => 'error' in o).length).toBeGreaterThanOrEqual(6);
    },
  );
});

describe('checkpoint-every-write', () => {
  /** Exposes what the variant did to its connections. */
  class InspectableCheckpointer extends CheckpointEveryWriteTracker {
    synchronousSetting(): Promise<unknown> {
      return this.single(async (s) => s.db.pragma('synchronous', { simple: true }));
    }
  }

  test('opens with synchronous=FULL and empties the WAL after every kind of write', async () => {
    const dbPath = scratch.next();
    const store = new InspectableCheckpointer({ dbPath });
    const walSize = () => fs.statSync(`${dbPath}-wal`).size;
    try {
      expect(await store.synchronousSetting()).toBe(2); // FULL
      const client = await store.createClient({ clientKey: 'C', name: 'Client' });
      expect(walSize()).toBe(0);
      const epic = await store.createEpic({ clientId: client.id, epicKey: 'E', title: 'Epic' });
      expect(walSize()).toBe(0);
      await store.createEpicWithTasks({ clientId: client.id, epicKey: 'F', title: 'Epic' }, [
        { taskKey: 'T', title: 'Task' },
      ]);
      expect(walSize()).toBe(0);
      const task = await store.createTask({ epicId: epic.id, taskKey: 'T', title: 'Task' });
      expect(walSize()).toBe(0);
      for (const step of [store.startTask, store.advanceTaskPhase, store.completeTask]) {
        await step.call(store, task.id);
        expect(walSize()).toBe(0);
      }
      // A failed write commits nothing, and the WAL stays empty.
      await expect(store.startTask(task.id)).rejects.toBeInstanceOf(TrackerError);
      expect(walSize()).toBe(0);
    } finally {
      await store.close();
    }

    // The correct tracker leaves its WAL to grow until SQLite's own automatic checkpoint.
    const correctPath = scratch.next();
    await withStore(defaultStoreFactory, correctPath, async (correct) => {
      await correct.createClient({ clientKey: 'C', name: 'Client' });
      expect(fs.statSync(`${correctPath}-wal`).size).toBeGreaterThan(0);
    });
  });

  test('takes several times as long as the correct tracker for the same writes', async () => {
    const writes = async (store: TrackerStore) => {
      const client = await store.createClient({ clientKey: 'C', name: 'Client' });
      const epic = await store.createEpic({ clientId: client.id, epicKey: 'E', title: 'Epic' });
      for (let i = 0; i < 20; i += 1) {
        const task = await store.createTask({ epicId: epic.id, taskKey: `T${i}`, title: 'Task' });
        await store.startTask(task.id);
        await store.advanceTaskPhase(task.id);
        await store.completeTask(task.id);
      }
    };
    // Once untimed first, so the correct tracker's run does not pay for warming the JIT up.
    await withStore(defaultStoreFactory, scratch.next(), writes);
    const correctMs = await withStore(defaultStoreFactory, diskPath(), (store) =>
      elapsedMs(() => writes(store)),
    );
    const slowMs = await withStore(
      variant('checkpoint-every-write').createStore,
      diskPath(),
      (store) => elapsedMs(() => writes(store)),
    );
    expect(slowMs / correctMs).toBeGreaterThan(2);
  });
});

describe('lock-across-await', () => {
  test('serves concurrent calls one at a time: several times as long as the correct tracker', async () => {
    const CALLS = 40;
    const concurrentCalls = async (store: TrackerStore) => {
      const client = await store.createClient({ clientKey: 'C', name: 'Client' });
      const { epic, tasks } = await store.createEpicWithTasks(
        { clientId: client.id, epicKey: 'E', title: 'Epic' },
        [{ taskKey: 'T', title: 'Task', storyPoints: 3 }],
      );
      const task = tasks[0]!;
      const calls = Array.from({ length: CALLS }, (_, i) => {
        switch (i % 5) {
          case 0:
            return store.getClient(client.id);
          case 1:
            return store.getEpic(epic.id);
          case 2:
            return store.listTasks({ epicId: epic.id });
          case 3:
            return store.getEpicAnalytics(epic.id);
          default:
            return store.createClient({ clientKey: `K${i}`, name: 'Another' });
        }
      });
      let results: unknown[] = [];
      const ms = await elapsedMs(async () => {
        results = await Promise.all([...calls, store.startTask(task.id)]);
      });
      return { ms, results };
    };
    const correct = await withStore(defaultStoreFactory, scratch.next(), concurrentCalls);
    const slow = await withStore(
      variant('lock-across-await').createStore,
      scratch.next(),
      concurrentCalls,
    );
    expect(slow.results).toEqual(correct.results);
    expect(slow.ms / correct.ms).toBeGreaterThan(2);
  });
});

describe('unreleased-connection', () => {
  const POOL_SIZE = 3;

  /** Pool figures without a call (healthCheck itself needs a connection). */
  class InspectableLeak extends UnreleasedConnectionTracker {
    pooledConnections() {
      return this.pool.figures();
    }
  }

  const options = (): StoreOptions => ({
    dbPath: scratch.next(),
    poolSize: POOL_SIZE,
    acquireTimeoutMs: 200,
  });

  test('each lookup of a missing client keeps a connection until the pool is dry', async () => {
    const store = new InspectableLeak(options());
    try {
      const client = await store.createClient({ clientKey: 'C', name: 'Client' });
      expect(store.pooledConnections().inUse).toBe(0);
      for (let leaked = 1; leaked <= POOL_SIZE; leaked += 1) {
        await expect(store.getClient(1000 + leaked)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        // No call is running, yet the connection stays out.
        expect(store.pooledConnections()).toMatchObject({ inUse: leaked, size: POOL_SIZE });
        // The store still works while any connection is left.
        if (leaked < POOL_SIZE) await expect(store.getClient(client.id)).resolves.toEqual(client);
      }
      expect(store.pooledConnections()).toMatchObject({ inUse: POOL_SIZE, idle: 0 });
      const error = await store.getClient(client.id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TrackerError);
      expect((error as TrackerError).code).toBe('POOL_TIMEOUT');
      await expect(store.listClients()).rejects.toMatchObject({ code: 'POOL_TIMEOUT' });
    } finally {
      await store.close();
    }
  });

  test('the correct tracker hands every connection back on the same calls', async () => {
    const store = new (class extends SqliteTracker {
      pooledConnections() {
        return this.pool.figures();
      }
    })(options());
    try {
      const client = await store.createClient({ clientKey: 'C', name: 'Client' });
      for (let i = 1; i <= POOL_SIZE * 2; i += 1) {
        await expect(store.getClient(1000 + i)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
      expect(store.pooledConnections().inUse).toBe(0);
      await expect(store.getClient(client.id)).resolves.toEqual(client);
    } finally {
      await store.close();
    }
  });
});
