/**
 * The connection pool and concurrency behaviour of SqliteTracker, on real database files:
 * acquire time-outs, close(), the SQLITE_BUSY retry budget, concurrent writers in one pool and
 * in two pools on one file, and rollback of a connection handed back mid-transaction.
 */
import Database from 'better-sqlite3';
import { invariantViolations, snapshotOfStore } from '../models/invariants';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import {
  SqliteTracker,
  TrackerError,
  type StatementEvent,
  type StatementHooks,
  type StoreOptions,
  type TrackerErrorCode,
} from '../src/tracker';
import { resolveStoreOptions } from '../src/tracker/options';
import { ConnectionPool } from '../src/tracker/pool';
import { STATEMENTS } from '../src/tracker/sql/statements';

const scratch = new ScratchDatabases('tracker-pool-');
afterAll(() => scratch.removeAll());

/** Exposes the file path the pool opened. */
class InspectableTracker extends SqliteTracker {
  get dbPath(): string {
    return this.options.dbPath;
  }
}

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

/**
 * Hooks that can park one statement: `hold(name)` makes the next statement of that name wait
 * until `release()`; `reached` settles once it is parked.
 */
function parkingHooks() {
  let parked: { name: string; reached: Deferred; gate: Deferred } | undefined;
  const hooks: StatementHooks = {
    beforeStatement(event: StatementEvent) {
      if (parked === undefined || parked.name !== event.name) return undefined;
      const { reached, gate } = parked;
      parked = undefined;
      reached.resolve();
      return gate.promise;
    },
  };
  return {
    hooks,
    hold(name: string) {
      const entry = { name, reached: deferred(), gate: deferred() };
      parked = entry;
      return { reached: entry.reached.promise, release: () => entry.gate.resolve() };
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<TrackerError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TrackerError);
    return error as TrackerError;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

async function expectCode(
  promise: Promise<unknown>,
  code: TrackerErrorCode,
): Promise<TrackerError> {
  const error = await rejectionOf(promise);
  expect(error.code).toBe(code);
  return error;
}

/** Settles without throwing, so a promise can be checked later without an unhandled rejection. */
function settle<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Row counts and AUTOINCREMENT sequences, read past the API on a separate connection. */
function rawState(path: string) {
  const reader = new Database(path, { readonly: true });
  try {
    const count = (table: string) =>
      (reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      clients: count('clients'),
      epics: count('epics'),
      tasks: count('tasks'),
      sequence: reader.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').all(),
    };
  } finally {
    reader.close();
  }
}

const open: { close(): unknown }[] = [];
function track<T extends { close(): unknown }>(thing: T): T {
  open.push(thing);
  return thing;
}
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

function newTracker(options: Omit<StoreOptions, 'dbPath'> & { dbPath?: string } = {}) {
  return track(new InspectableTracker({ ...options, dbPath: options.dbPath ?? scratch.next() }));
}

function dbPathOf(tracker: InspectableTracker): string {
  return tracker.dbPath;
}

// ---------- (a) acquire time-out ----------

describe('pool of one with a 50 ms acquire time-out', () => {
  test('calls time out with POOL_TIMEOUT while the only connection is held, and work after', async () => {
    const parking = parkingHooks();
    const tracker = newTracker({ poolSize: 1, acquireTimeoutMs: 50, hooks: parking.hooks });
    const client = await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const before = rawState(dbPathOf(tracker));

    const hold = parking.hold('clientById');
    const held = tracker.getClient(client.id);
    await hold.reached;
    expect(tracker.poolFigures()).toMatchObject({ size: 1, open: 1, inUse: 1, idle: 0 });

    const started = Date.now();
    const read = await expectCode(tracker.getClient(client.id), 'POOL_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(read.message).toMatch(/No connection free within 50 ms \(pool size 1/);
    await expectCode(tracker.listTasks(), 'POOL_TIMEOUT');
    await expectCode(tracker.healthCheck(), 'POOL_TIMEOUT');
    // A write passes the (free) write gate, then times out waiting for the connection.
    await expectCode(tracker.createClient({ clientKey: 'd', name: 'D' }), 'POOL_TIMEOUT');
    // Several waiters at once all time out, and leave the queue.
    const many = await Promise.all([1, 2, 3].map(() => settle(tracker.getTask(1))));
    expect(many.map((r) => !r.ok && (r.error as TrackerError).code)).toEqual([
      'POOL_TIMEOUT',
      'POOL_TIMEOUT',
      'POOL_TIMEOUT',
    ]);
    expect(tracker.poolFigures()).toMatchObject({ open: 1, inUse: 1, waiting: 0 });

    hold.release();
    await expect(held).resolves.toEqual(client);
    expect(tracker.poolFigures()).toMatchObject({ open: 1, inUse: 0, idle: 1, waiting: 0 });
    expect(rawState(dbPathOf(tracker))).toEqual(before);

    // Everything works again, writes included (the gate was released by the timed-out write).
    await expect(tracker.createClient({ clientKey: 'd', name: 'D' })).resolves.toMatchObject({
      id: 2,
    });
    await expect(tracker.listClients()).resolves.toMatchObject({ total: 2 });
    await expect(tracker.healthCheck()).resolves.toMatchObject({ integrity: 'ok' });
  });

  test('a waiter served before its time-out succeeds; waiters are served first come, first served', async () => {
    const parking = parkingHooks();
    const tracker = newTracker({ poolSize: 1, acquireTimeoutMs: 2_000, hooks: parking.hooks });
    await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const hold = parking.hold('clientById');
    const held = tracker.getClient(1);
    await hold.reached;
    const order: string[] = [];
    const waiters = ['first', 'second', 'third'].map((name) =>
      tracker.listClients().then(() => order.push(name)),
    );
    await nextTurn();
    expect(tracker.poolFigures()).toMatchObject({ waiting: 3 });
    setTimeout(hold.release, 10);
    await Promise.all([held, ...waiters]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(tracker.poolFigures()).toMatchObject({ inUse: 0, waiting: 0, open: 1 });
  });

  test('a write queued behind a held write times out with POOL_TIMEOUT and writes nothing', async () => {
    const parking = parkingHooks();
    const tracker = newTracker({ poolSize: 1, acquireTimeoutMs: 50, hooks: parking.hooks });
    const hold = parking.hold('insertClient');
    const first = tracker.createClient({ clientKey: 'a', name: 'A' });
    await hold.reached;
    const second = expectCode(tracker.createClient({ clientKey: 'b', name: 'B' }), 'POOL_TIMEOUT');
    // A read times out on the pool meanwhile, and the queued write on the write gate.
    await expectCode(tracker.listClients(), 'POOL_TIMEOUT');
    await second;
    hold.release();
    await expect(first).resolves.toMatchObject({ id: 1 });
    await expect(tracker.listClients()).resolves.toMatchObject({ total: 1 });
  });
});

// ---------- (b) close ----------

describe('close()', () => {
  test('queued waiters and later calls reject with CLOSED', async () => {
    const parking = parkingHooks();
    const tracker = newTracker({ poolSize: 1, acquireTimeoutMs: 5_000, hooks: parking.hooks });
    const client = await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const path = dbPathOf(tracker);
    const before = rawState(path);

    const hold = parking.hold('clientById');
    const held = settle(tracker.getClient(client.id));
    await hold.reached;
    const poolWaiters = [
      settle(tracker.getClient(client.id)),
      settle(tracker.listEpics()),
      settle(tracker.createClient({ clientKey: 'w1', name: 'Waits on the pool' })),
    ];
    const gateWaiter = settle(tracker.createClient({ clientKey: 'w2', name: 'Waits on the gate' }));
    await nextTurn();
    expect(tracker.poolFigures()).toMatchObject({ waiting: 3, inUse: 1 });

    await tracker.close();
    for (const result of await Promise.all(poolWaiters)) {
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : (result.error as TrackerError).code).toBe('CLOSED');
    }
    expect(tracker.poolFigures()).toMatchObject({ waiting: 0, inUse: 1, open: 1, idle: 0 });

    const closed = await expectCode(tracker.getClient(client.id), 'CLOSED');
    expect(closed.message).toMatch(/closed/);
    await expectCode(tracker.createClient({ clientKey: 'x', name: 'X' }), 'CLOSED');
    await expectCode(tracker.startTask(1), 'CLOSED');
    await expectCode(tracker.listTasks(), 'CLOSED');
    await expectCode(tracker.healthCheck(), 'CLOSED');

    // The call already running finishes on its connection, which is then closed.
    hold.release();
    await expect(held).resolves.toEqual({ ok: true, value: client });
    const gate = await gateWaiter;
    expect(gate.ok ? undefined : (gate.error as TrackerError).code).toBe('CLOSED');
    expect(tracker.poolFigures()).toMatchObject({ open: 0, inUse: 0, idle: 0, waiting: 0 });
    await expect(tracker.close()).resolves.toBeUndefined();
    expect(rawState(path)).toEqual(before);
  });

  test('a write already running when close() is called completes and is durable', async () => {
    const parking = parkingHooks();
    const tracker = newTracker({ poolSize: 2, hooks: parking.hooks });
    const path = dbPathOf(tracker);
    const hold = parking.hold('insertClient');
    const write = tracker.createClient({ clientKey: 'late', name: 'Late' });
    await hold.reached;
    await tracker.close();
    hold.release();
    await expect(write).resolves.toMatchObject({ id: 1, clientKey: 'late' });
    expect(tracker.poolFigures()).toMatchObject({ open: 0, inUse: 0 });
    const reopened = newTracker({ dbPath: path });
    await expect(reopened.getClient(1)).resolves.toMatchObject({ clientKey: 'late' });
  });
  test('a write waiting in busy back-off when close() is called rejects with CLOSED', async () => {
    const inBackoff = deferred();
    const resume = deferred();
    const tracker = newTracker({
      hooks: {
        backoff: async () => {
          inBackoff.resolve();
          await resume.promise;
        },
      },
    });
    const path = dbPathOf(tracker);
    const raw = track(new Database(path));
    raw.exec('BEGIN IMMEDIATE');
    const write = settle(tracker.createClient({ clientKey: 'c', name: 'C' }));
    await inBackoff.promise;
    raw.exec('ROLLBACK');
    await tracker.close();
    resume.resolve();
    const result = await write;
    expect(result.ok ? undefined : (result.error as TrackerError).code).toBe('CLOSED');
    expect(rawState(path)).toMatchObject({ clients: 0, sequence: [] });
  });
});

// ---------- (c) busy retry budget ----------

describe('SQLITE_BUSY retry budget', () => {
  const RAW_INSERT = `INSERT INTO clients (client_key, name, status, priority_level)
    VALUES ('raw', 'Raw', 'active', 5)`;

  test('a lock held beyond the budget: BUSY after busyAttempts tries, nothing written', async () => {
    const tracker = newTracker({ busyAttempts: 3, busyBaseDelayMs: 1, busyMaxDelayMs: 2 });
    const path = dbPathOf(tracker);
    const client = await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const { epic, tasks } = await tracker.createEpicWithTasks(
      { clientId: client.id, epicKey: 'e', title: 'Epic' },
      [{ taskKey: 't', title: 'Task', storyPoints: 3 }],
    );
    await tracker.startTask(tasks[0]!.id);
    const before = rawState(path);
    const snapshot = await snapshotOfStore(tracker);

    const raw = track(new Database(path));
    raw.exec('BEGIN IMMEDIATE');
    raw.exec(RAW_INSERT);
    const busy = await expectCode(
      tracker.createClient({ clientKey: 'blocked', name: 'Blocked' }),
      'BUSY',
    );
    expect(busy.message).toMatch(/locked/);
    expect(tracker.poolFigures().busyRetries).toBe(2);
    await expectCode(
      tracker.createEpicWithTasks({ clientId: client.id, epicKey: 'e2', title: 'E2' }, [
        { taskKey: 'a', title: 'A' },
        { taskKey: 'b', title: 'B' },
      ]),
      'BUSY',
    );
    await expectCode(tracker.completeTask(tasks[0]!.id), 'BUSY');
    await expectCode(tracker.createTask({ epicId: epic.id, taskKey: 'n', title: 'N' }), 'BUSY');
    expect(tracker.poolFigures().busyRetries).toBe(8);
    // Readers are not blocked by a writer in WAL mode, and see the last commit.
    await expect(tracker.listClients()).resolves.toMatchObject({ total: 1 });
    expect(tracker.poolFigures()).toMatchObject({ inUse: 0, waiting: 0 });

    raw.exec('ROLLBACK');
    expect(rawState(path)).toEqual(before);
    expect(await snapshotOfStore(tracker)).toEqual(snapshot);
    // And with the lock gone, writes go through at once.
    await expect(tracker.completeTask(tasks[0]!.id)).resolves.toMatchObject({
      status: 'completed',
    });
    await expect(tracker.getEpic(epic.id)).resolves.toMatchObject({ pointsEarned: 3 });
  });

  test('the backoff hook sees attempts 1..busyAttempts-1', async () => {
    const attempts: number[] = [];
    const tracker = newTracker({
      busyAttempts: 5,
      hooks: {
        backoff: async (attempt) => {
          attempts.push(attempt);
        },
      },
    });
    const raw = track(new Database(dbPathOf(tracker)));
    raw.exec('BEGIN IMMEDIATE');
    await expectCode(tracker.createClient({ clientKey: 'c', name: 'C' }), 'BUSY');
    raw.exec('ROLLBACK');
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  test.each(['COMMIT', 'ROLLBACK'])(
    'a write waiting in back-off succeeds once the lock holder ends with %s',
    async (end) => {
      const tracker = newTracker();
      const path = dbPathOf(tracker);
      await tracker.createClient({ clientKey: 'c', name: 'Client' });
      const raw = track(new Database(path));
      raw.exec('BEGIN IMMEDIATE');
      raw.exec(RAW_INSERT);
      const timer = setTimeout(() => raw.exec(end), 20);
      try {
        const created = await tracker.createClient({ clientKey: 'after', name: 'After' });
        // AUTOINCREMENT: a committed raw row takes id 2; a rolled-back one consumes nothing.
        expect(created.id).toBe(end === 'COMMIT' ? 3 : 2);
      } finally {
        clearTimeout(timer);
      }
      const health = await tracker.healthCheck();
      expect(health.pool.busyRetries).toBeGreaterThan(0);
      expect(health).toMatchObject({ integrity: 'ok', foreignKeyViolations: 0 });
      const keys = (await tracker.listClients()).data.map((c) => c.clientKey);
      expect(keys).toEqual(end === 'COMMIT' ? ['c', 'raw', 'after'] : ['c', 'after']);
    },
  );

  test('an error that is not SQLITE_BUSY is not retried', async () => {
    let thrown = 0;
    const tracker = newTracker({
      hooks: {
        beforeStatement: (event) => {
          if (event.name === 'insertClient') {
            thrown += 1;
            throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
          }
        },
      },
    });
    const error = await expectCode(
      tracker.createClient({ clientKey: 'c', name: 'C' }),
      'STORAGE_ERROR',
    );
    expect(error.message).toMatch(/SQLITE_IOERR/);
    expect(thrown).toBe(1);
    expect(tracker.poolFigures().busyRetries).toBe(0);
  });
});

// ---------- (d) many concurrent writers in one pool ----------

describe('concurrency', () => {
  test('50 concurrent createEpicWithTasks on one tracker', async () => {
    // Every statement yields a turn, so transactions of the pool's connections interleave.
    const tracker = newTracker({
      hooks: { beforeStatement: () => (Math.random() < 0.5 ? nextTurn() : undefined) },
    });
    const client = await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const readerChecks: Promise<void>[] = [];
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const created = await tracker.createEpicWithTasks(
          { clientId: client.id, epicKey: `E-${i}`, title: `Epic ${i}` },
          ['a', 'b', 'c'].map((key, k) => ({
            taskKey: key,
            title: `Task ${key}`,
            storyPoints: (i + k) % 7,
          })),
        );
        // Once the epic is visible its tasks are too: all of them, never some.
        readerChecks.push(
          tracker.listTasks({ epicId: created.epic.id }).then((page) => expect(page.total).toBe(3)),
        );
        return created;
      }),
    );
    await Promise.all(readerChecks);

    const epicIds = results.map((r) => r.epic.id);
    const taskIds = results.flatMap((r) => r.tasks.map((t) => t.id));
    expect(new Set(epicIds).size).toBe(50);
    expect(new Set(taskIds).size).toBe(150);
    for (const [i, { epic, tasks }] of results.entries()) {
      expect(epic.epicKey).toBe(`E-${i}`);
      expect(tasks.map((t) => [t.epicId, t.taskKey])).toEqual([
        [epic.id, 'a'],
        [epic.id, 'b'],
        [epic.id, 'c'],
      ]);
    }
    const snapshot = await snapshotOfStore(tracker);
    expect(snapshot.epics).toHaveLength(50);
    expect(snapshot.tasks).toHaveLength(150);
    expect(invariantViolations(snapshot)).toEqual([]);
    expect(rawState(dbPathOf(tracker)).sequence).toEqual([
      { name: 'clients', seq: 1 },
      { name: 'epics', seq: 50 },
      { name: 'tasks', seq: 150 },
    ]);
    await expect(tracker.healthCheck()).resolves.toMatchObject({
      integrity: 'ok',
      foreignKeyViolations: 0,
    });
  });

  // ---------- (e) two pools on one file ----------

  test('two trackers on one file: 100 interleaved completeTask/createTask lose no update', async () => {
    const yielding: StatementHooks = {
      beforeStatement: () => (Math.random() < 0.5 ? nextTurn() : undefined),
    };
    // A generous budget: the point is lost updates, not how long a lock may be contended.
    const a = newTracker({ hooks: yielding, busyAttempts: 1_000 });
    const path = dbPathOf(a);
    const b = newTracker({ dbPath: path, hooks: yielding, busyAttempts: 1_000 });
    const client = await a.createClient({ clientKey: 'c', name: 'Client' });
    const { epic, tasks } = await a.createEpicWithTasks(
      { clientId: client.id, epicKey: 'E', title: 'Epic' },
      Array.from({ length: 50 }, (_, i) => ({
        taskKey: `T-${i}`,
        title: `Task ${i}`,
        storyPoints: (i * 7) % 13,
      })),
    );
    await Promise.all(tasks.map((t, i) => (i % 2 === 0 ? a : b).startTask(t.id)));

    const calls: Promise<unknown>[] = [];
    for (const [i, task] of tasks.entries()) {
      calls.push((i % 2 === 0 ? a : b).completeTask(task.id));
      calls.push(
        (i % 2 === 0 ? b : a).createTask({
          epicId: epic.id,
          taskKey: `N-${i}`,
          title: `New ${i}`,
          storyPoints: i % 5,
        }),
      );
    }
    await Promise.all(calls);

    const expected = tasks.reduce((sum, t) => sum + t.storyPoints, 0);
    await expect(b.getEpic(epic.id)).resolves.toMatchObject({
      pointsEarned: expected,
      status: 'in_progress',
    });
    await expect(a.getEpicAnalytics(epic.id)).resolves.toMatchObject({
      totalTasks: 100,
      tasksByStatus: { todo: 50, in_progress: 0, completed: 50 },
      pointsEarned: expected,
    });
    const snapshot = await snapshotOfStore(a);
    expect(snapshot.tasks).toHaveLength(100);
    expect(invariantViolations(snapshot)).toEqual([]);
    await expect(b.healthCheck()).resolves.toMatchObject({ integrity: 'ok' });
    // The two pools really did contend for the write lock.
    expect(a.poolFigures().busyRetries + b.poolFigures().busyRetries).toBeGreaterThan(0);
  });
});

// ---------- (f) rollback of a connection handed back mid-transaction ----------

describe('a connection returned with an open transaction is rolled back', () => {
  test('a write failing on its 3rd insertTask leaves nothing, and the next call works', async () => {
    let failOnInsertTask = 0;
    let insertTasks = 0;
    const tracker = newTracker({
      poolSize: 1,
      hooks: {
        beforeStatement: (event) => {
          if (event.name !== 'insertTask' || failOnInsertTask === 0) return;
          insertTasks += 1;
          if (insertTasks === failOnInsertTask) throw new Error('injected failure on insertTask');
        },
      },
    });
    const path = dbPathOf(tracker);
    const client = await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const epicInput = { clientId: client.id, epicKey: 'E', title: 'Epic' };
    const taskInputs = ['a', 'b', 'c'].map((key) => ({ taskKey: key, title: key }));
    const before = rawState(path);
    const snapshot = await snapshotOfStore(tracker);

    failOnInsertTask = 3;
    const error = await expectCode(
      tracker.createEpicWithTasks(epicInput, taskInputs),
      'STORAGE_ERROR',
    );
    expect(error.message).toMatch(/injected failure on insertTask/);
    expect(insertTasks).toBe(3);
    failOnInsertTask = 0;

    expect(rawState(path)).toEqual(before);
    expect(await snapshotOfStore(tracker)).toEqual(snapshot);
    expect(tracker.poolFigures()).toMatchObject({ open: 1, idle: 1, inUse: 0 });

    // The one connection is clean: no open transaction, no lock held, and ids are not skipped.
    const created = await tracker.createEpicWithTasks(epicInput, taskInputs);
    expect(created.epic.id).toBe(1);
    expect(created.tasks.map((t) => t.id)).toEqual([1, 2, 3]);
    const raw = track(new Database(path));
    expect(() => raw.exec('BEGIN IMMEDIATE; ROLLBACK')).not.toThrow();
  });

  test('a hook rejecting asynchronously inside createTask also leaves nothing', async () => {
    let fail = false;
    const tracker = newTracker({
      poolSize: 1,
      hooks: {
        beforeStatement: async (event) => {
          await nextTurn();
          if (fail && event.name === 'refreshEpicStatus') throw new Error('late failure');
        },
      },
    });
    const path = dbPathOf(tracker);
    const client = await tracker.createClient({ clientKey: 'c', name: 'Client' });
    const { epic } = await tracker.createEpicWithTasks(
      { clientId: client.id, epicKey: 'E', title: 'Epic' },
      [],
    );
    const before = rawState(path);
    fail = true;
    // insertTask has already run when refreshEpicStatus fails.
    await expectCode(
      tracker.createTask({ epicId: epic.id, taskKey: 't', title: 'T' }),
      'STORAGE_ERROR',
    );
    fail = false;
    expect(rawState(path)).toEqual(before);
    await expect(
      tracker.createTask({ epicId: epic.id, taskKey: 't', title: 'T' }),
    ).resolves.toMatchObject({ id: 1 });
  });

  test('ConnectionPool.release rolls back a transaction its caller left open', async () => {
    const path = scratch.next();
    const pool = track(
      new ConnectionPool(resolveStoreOptions({ dbPath: path, poolSize: 1 }, STATEMENTS)),
    );
    const session = await pool.acquire();
    session.db.exec('BEGIN IMMEDIATE');
    session.db.exec(
      `INSERT INTO clients (client_key, name, status, priority_level) VALUES ('x', 'X', 'active', 5)`,
    );
    expect(session.inTransaction).toBe(true);
    // Handed straight to a queued waiter...
    const next = pool.acquire();
    pool.release(session);
    const again = await next;
    expect(again).toBe(session);
    expect(again.inTransaction).toBe(false);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM clients').get()).toEqual({ n: 0 });
    // ...or back to the idle list.
    again.db.exec('BEGIN IMMEDIATE');
    pool.release(again);
    const idle = await pool.acquire();
    expect(idle.inTransaction).toBe(false);
    pool.release(idle);
    const raw = track(new Database(path));
    expect(() => raw.exec('BEGIN IMMEDIATE; ROLLBACK')).not.toThrow();
    expect(raw.prepare('SELECT seq FROM sqlite_sequence').all()).toEqual([]);
  });
});
