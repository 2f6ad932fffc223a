/**
 * The tracker store against raw better-sqlite3 running the same SQL (the store's own STATEMENTS
 * text and SCHEMA_SQL, prepared once) in the same run, single-threaded. Only ratios mean
 * anything: absolute figures move with the machine and are re-measured on every run.
 *
 * Each workload gets two fresh WAL files (one per side) with the store's pragmas, filled the same
 * way through a raw connection. Both sides then run in alternating slices (raw, store, store, raw,
 * ...) after a warm-up, timed in batches with process.hrtime.bigint(); state that a workload uses
 * up (started tasks) is refilled between batches, outside the timed part, through a separate raw
 * connection on both sides.
 */
import Database from 'better-sqlite3';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { SqliteTracker } from '../src/tracker';
import { SCHEMA_SQL } from '../src/tracker/sql/schema';
import { STATEMENTS, type StatementName } from '../src/tracker/sql/statements';
import type { Epic, NewTaskOfEpic, Task } from '../src/tracker/types';

export interface BenchRow {
  name: string;
  rawOpsPerSec: number;
  storeOpsPerSec: number;
  /** storeOpsPerSec / rawOpsPerSec: 1 means the store costs nothing over raw SQL. */
  ratio: number;
}

export interface BenchOptions {
  /** Timed seconds per side and workload (warm-up not included). */
  seconds: number;
}

type Db = Database.Database;
type Statement = Database.Statement;
type RawOp = (i: number) => void;
type StoreOp = (i: number) => Promise<unknown>;

interface Workload {
  readonly name: string;
  /** Ops between two clock reads; divides `refill.every`. */
  readonly batch: number;
  /** Fills a fresh database (inside one transaction) before either side opens it. */
  prefill?(db: Db): void;
  /** Builds the raw side's operation; statements are prepared here, once. */
  raw(db: Db): RawOp;
  store(store: SqliteTracker): StoreOp;
  /** Untimed reset before op i whenever i > 0 and i % every === 0. */
  readonly refill?: { readonly every: number; run(db: Db): void };
  /** Checks, after the run, that `ops` operations really happened. */
  verify?(db: Db, ops: number): void;
}

const SYNCHRONOUS = 'NORMAL' as const;
const OPEN_BUSY_TIMEOUT_MS = 10_000;
/** Length of one side's slice: short slices spread the machine's noise over both sides. */
const SLICE_SECONDS = 0.1;
const PREFILL_EPICS = 1000;
const TASKS_PER_EPIC = 3;
const PAGE_SIZE = 20;

// ---------------------------------------------------------------------------------------------
// Raw connections: the same pragmas, schema and statement text as src/tracker/pool.ts.

function openRaw(dbPath: string): Db {
  const db = new Database(dbPath, { timeout: OPEN_BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA_SQL);
  db.pragma('busy_timeout = 0');
  return db;
}

function prepare<N extends StatementName>(db: Db, names: readonly N[]): Record<N, Statement> {
  const prepared = {} as Record<N, Statement>;
  for (const name of names) prepared[name] = db.prepare(STATEMENTS[name]);
  return prepared;
}

/** Runs `body` between `begin` and COMMIT, rolling back if it throws (as the store does). */
function inTransaction(db: Db, begin: Statement, commit: Statement, body: () => void): void {
  begin.run();
  try {
    body();
    commit.run();
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function fail(message: string): never {
  throw new Error(`bench: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Data: the same values on both sides (the raw side spells out the defaults the store fills in).

const CLIENT_ID = 1;
const CLIENT_FIELDS = { name: 'Bench client', status: 'active', priorityLevel: 5 } as const;
const EPIC_FIELDS = {
  title: 'Benchmark epic',
  description: 'Made by bench/store-vs-raw.ts',
  pointsValue: 30,
  durationText: '2 weeks',
} as const;
const TASKS: readonly Required<NewTaskOfEpic>[] = [
  { taskKey: 'T-1', title: 'Failing test', tddPhase: 'red', storyPoints: 2, estimateMinutes: 45 },
  { taskKey: 'T-2', title: 'Make it pass', tddPhase: 'green', storyPoints: 3, estimateMinutes: 90 },
  { taskKey: 'T-3', title: 'Refactor', tddPhase: 'refactor', storyPoints: 1, estimateMinutes: 30 },
];

function prefillClient(db: Db): void {
  prepare(db, ['insertClient']).insertClient.get({ clientKey: 'bench-client', ...CLIENT_FIELDS });
}

/** One client, PREFILL_EPICS epics with TASKS_PER_EPIC tasks each (ids 1..N in order). */
function prefillEpics(db: Db): void {
  prefillClient(db);
  const s = prepare(db, ['insertEpic', 'insertTask']);
  for (let e = 1; e <= PREFILL_EPICS; e += 1) {
    const epic = s.insertEpic.get({
      clientId: CLIENT_ID,
      epicKey: `P-${e}`,
      ...EPIC_FIELDS,
    }) as Epic;
    for (const task of TASKS) s.insertTask.get({ epicId: epic.id, ...task });
  }
}

function startAllTasks(db: Db): void {
  db.exec(`UPDATE tasks SET status = 'in_progress', completed_at = NULL;
    UPDATE epics SET status = 'in_progress';`);
}

/** Deterministic random epic ids, the same sequence on both sides. */
const RANDOM_IDS_MASK = (1 << 16) - 1;
const RANDOM_EPIC_IDS = (() => {
  let seed = 0x5eed1234;
  const ids = new Int32Array(RANDOM_IDS_MASK + 1);
  for (let k = 0; k < ids.length; k += 1) {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    ids[k] = 1 + Math.floor(unit * PREFILL_EPICS);
  }
  return ids;
})();

function randomEpicId(i: number): number {
  return RANDOM_EPIC_IDS[i & RANDOM_IDS_MASK] as number;
}

function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

// ---------------------------------------------------------------------------------------------
// Workloads.

/** A read of one row by a random epic id: the same statement on both sides. */
function pointRead(
  name: string,
  statement: StatementName,
  call: (store: SqliteTracker, epicId: number) => Promise<unknown>,
): Workload {
  return {
    name,
    batch: 64,
    prefill: prefillEpics,
    raw(db) {
      const s = prepare(db, [statement]);
      return (i) => {
        if (s[statement].get(randomEpicId(i)) === undefined) fail('epic not found');
      };
    },
    store: (store) => (i) => call(store, randomEpicId(i)),
  };
}

const WORKLOADS: readonly Workload[] = [
  {
    name: 'create epic + 3 tasks',
    batch: 16,
    prefill: prefillClient,
    raw(db) {
      const s = prepare(db, [
        'beginWrite',
        'commit',
        'clientExists',
        'epicKeyTaken',
        'taskKeyTaken',
        'insertEpic',
        'insertTask',
      ]);
      return (i) =>
        inTransaction(db, s.beginWrite, s.commit, () => {
          const epicKey = `E-${i}`;
          if (s.clientExists.get(CLIENT_ID) === undefined) fail('no client');
          if (s.epicKeyTaken.get(epicKey) !== undefined) fail(`epic key ${epicKey} taken`);
          const epic = s.insertEpic.get({ clientId: CLIENT_ID, epicKey, ...EPIC_FIELDS }) as Epic;
          for (const task of TASKS) {
            if (s.taskKeyTaken.get(epic.id, task.taskKey) !== undefined) fail('task key taken');
            s.insertTask.get({ epicId: epic.id, ...task });
          }
        });
    },
    store: (store) => (i) =>
      store.createEpicWithTasks({ clientId: CLIENT_ID, epicKey: `E-${i}`, ...EPIC_FIELDS }, TASKS),
    verify(db, ops) {
      const epics = countRows(db, 'epics');
      const tasks = countRows(db, 'tasks');
      if (epics !== ops || tasks !== ops * TASKS.length) {
        fail(`expected ${ops} epics and ${ops * TASKS.length} tasks, found ${epics} and ${tasks}`);
      }
    },
  },
  {
    name: 'create client',
    batch: 16,
    raw(db) {
      const s = prepare(db, ['beginWrite', 'commit', 'clientKeyTaken', 'insertClient']);
      return (i) =>
        inTransaction(db, s.beginWrite, s.commit, () => {
          const clientKey = `C-${i}`;
          if (s.clientKeyTaken.get(clientKey) !== undefined) fail(`client key ${clientKey} taken`);
          s.insertClient.get({ clientKey, ...CLIENT_FIELDS });
        });
    },
    store: (store) => (i) => store.createClient({ clientKey: `C-${i}`, name: CLIENT_FIELDS.name }),
    verify(db, ops) {
      const clients = countRows(db, 'clients');
      if (clients !== ops) fail(`expected ${ops} clients, found ${clients}`);
    },
  },
  pointRead('get epic', 'epicById', (store, id) => store.getEpic(id)),
  pointRead('epic analytics', 'epicAnalytics', (store, id) => store.getEpicAnalytics(id)),
  {
    name: 'list tasks page',
    batch: 64,
    prefill: prefillEpics,
    raw(db) {
      const s = prepare(db, ['beginRead', 'commit', 'countTasksOfEpic', 'pageTasksOfEpic']);
      return (i) =>
        inTransaction(db, s.beginRead, s.commit, () => {
          const filter = { epicId: randomEpicId(i), status: null, tddPhase: null };
          const count = s.countTasksOfEpic.get(filter) as { total: number } | undefined;
          if ((count?.total ?? 0) > 0)
            s.pageTasksOfEpic.all({ ...filter, limit: PAGE_SIZE, offset: 0 });
        });
    },
    store: (store) => (i) => store.listTasks({ epicId: randomEpicId(i), pageSize: PAGE_SIZE }),
  },
  {
    name: 'complete task',
    batch: 50,
    prefill(db) {
      prefillEpics(db);
      startAllTasks(db);
    },
    raw(db) {
      const s = prepare(db, [
        'beginWrite',
        'commit',
        'taskById',
        'setTaskStatus',
        'addPointsEarned',
        'refreshEpicStatus',
      ]);
      return (i) =>
        inTransaction(db, s.beginWrite, s.commit, () => {
          const id = taskIdFor(i);
          const task = s.taskById.get(id) as Task | undefined;
          if (task === undefined) fail(`no task ${id}`);
          if (task.status !== 'in_progress') fail(`task ${id} is ${task.status}`);
          s.setTaskStatus.get({ id, status: 'completed' });
          s.addPointsEarned.run({ points: task.storyPoints, epicId: task.epicId });
          s.refreshEpicStatus.run(task.epicId);
        });
    },
    store: (store) => (i) => store.completeTask(taskIdFor(i)),
    refill: { every: PREFILL_EPICS * TASKS_PER_EPIC, run: startAllTasks },
  },
];

function taskIdFor(i: number): number {
  return (i % (PREFILL_EPICS * TASKS_PER_EPIC)) + 1;
}

// ---------------------------------------------------------------------------------------------
// Timing.

interface SideState {
  /** Index of the next operation (warm-up included), so keys never repeat. */
  next: number;
  /** Timed operations and nanoseconds (warm-up excluded). */
  ops: number;
  ns: bigint;
  /** Refills through a second connection, outside the timed part. */
  readonly refill: (() => void) | undefined;
}

function maybeRefill(workload: Workload, state: SideState): void {
  const every = workload.refill?.every;
  if (every !== undefined && state.next > 0 && state.next % every === 0) state.refill?.();
}

/** Runs raw batches until `budgetNs` of timed work; returns [ops, ns]. */
function timeRaw(
  workload: Workload,
  op: RawOp,
  state: SideState,
  budgetNs: bigint,
): [number, bigint] {
  const { batch } = workload;
  let ops = 0;
  let spent = 0n;
  while (spent < budgetNs) {
    maybeRefill(workload, state);
    let i = state.next;
    const end = i + batch;
    const start = process.hrtime.bigint();
    for (; i < end; i += 1) op(i);
    spent += process.hrtime.bigint() - start;
    state.next = end;
    ops += batch;
  }
  return [ops, spent];
}

/** The same loop for the store: each call awaited before the next (single-threaded). */
async function timeStore(
  workload: Workload,
  op: StoreOp,
  state: SideState,
  budgetNs: bigint,
): Promise<[number, bigint]> {
  const { batch } = workload;
  let ops = 0;
  let spent = 0n;
  while (spent < budgetNs) {
    maybeRefill(workload, state);
    let i = state.next;
    const end = i + batch;
    const start = process.hrtime.bigint();
    for (; i < end; i += 1) await op(i);
    spent += process.hrtime.bigint() - start;
    state.next = end;
    ops += batch;
  }
  return [ops, spent];
}

/** BENCH_TRACE=1 prints every slice's figure to stderr, to see the spread behind a ratio. */
const TRACE = process.env.BENCH_TRACE === '1';

function traceSlice(workload: Workload, side: string, ops: number, ns: bigint): void {
  if (!TRACE) return;
  const perSec = ops / (Number(ns) / 1e9);
  process.stderr.write(`  ${workload.name} ${side.padEnd(5)} ${Math.round(perSec)} ops/s\n`);
}

function opsPerSec(state: SideState): number {
  return state.ns === 0n ? 0 : state.ops / (Number(state.ns) / 1e9);
}

function makeDatabase(workload: Workload, dbPath: string): void {
  const db = openRaw(dbPath);
  try {
    const prefill = workload.prefill;
    if (prefill !== undefined) db.transaction(() => prefill(db))();
  } finally {
    // The last connection to close checkpoints the WAL: both sides start from the same file.
    db.close();
  }
}

async function benchWorkload(
  workload: Workload,
  scratch: ScratchDatabases,
  seconds: number,
): Promise<BenchRow> {
  const refillEvery = workload.refill?.every;
  if (refillEvery !== undefined && refillEvery % workload.batch !== 0) {
    fail(`${workload.name}: batch ${workload.batch} does not divide refill ${refillEvery}`);
  }
  const rawPath = scratch.next();
  const storePath = scratch.next();
  makeDatabase(workload, rawPath);
  makeDatabase(workload, storePath);

  const rawDb = openRaw(rawPath);
  const rawHelper = openRaw(rawPath);
  const store = new SqliteTracker({ dbPath: storePath, synchronous: SYNCHRONOUS });
  const storeHelper = openRaw(storePath);
  const refillWith = (db: Db) => {
    const refill = workload.refill;
    return refill === undefined ? undefined : () => db.transaction(() => refill.run(db))();
  };
  try {
    const rawOp = workload.raw(rawDb);
    const storeOp = workload.store(store);
    const raw: SideState = { next: 0, ops: 0, ns: 0n, refill: refillWith(rawHelper) };
    const sto: SideState = { next: 0, ops: 0, ns: 0n, refill: refillWith(storeHelper) };

    const totalNs = BigInt(Math.round(seconds * 1e9));
    const warmUpNs = BigInt(Math.round(Math.min(0.3, Math.max(0.05, seconds * 0.1)) * 1e9));
    timeRaw(workload, rawOp, raw, warmUpNs);
    await timeStore(workload, storeOp, sto, warmUpNs);

    // An even number of rounds, so each side runs first as often as second.
    const rounds = Math.max(4, 2 * Math.round(seconds / SLICE_SECONDS / 2));
    const sliceNs = totalNs / BigInt(rounds);
    const runRaw = () => {
      const [ops, ns] = timeRaw(workload, rawOp, raw, sliceNs);
      raw.ops += ops;
      raw.ns += ns;
      traceSlice(workload, 'raw', ops, ns);
    };
    const runStore = async () => {
      const [ops, ns] = await timeStore(workload, storeOp, sto, sliceNs);
      sto.ops += ops;
      sto.ns += ns;
      traceSlice(workload, 'store', ops, ns);
    };
    // raw, store | store, raw | raw, store | ...: drift hits both sides alike.
    for (let round = 0; round < rounds; round += 1) {
      if (round % 2 === 0) {
        runRaw();
        await runStore();
      } else {
        await runStore();
        runRaw();
      }
    }

    workload.verify?.(rawHelper, raw.next);
    workload.verify?.(storeHelper, sto.next);

    const rawOpsPerSec = opsPerSec(raw);
    const storeOpsPerSec = opsPerSec(sto);
    return {
      name: workload.name,
      rawOpsPerSec,
      storeOpsPerSec,
      ratio: rawOpsPerSec === 0 ? 0 : storeOpsPerSec / rawOpsPerSec,
    };
  } finally {
    storeHelper.close();
    await store.close();
    rawHelper.close();
    rawDb.close();
  }
}

/** Every workload, one after another, each on its own fresh files. */
export async function benchStoreVsRaw(options: BenchOptions = { seconds: 2 }): Promise<BenchRow[]> {
  const seconds = options.seconds > 0 ? options.seconds : 2;
  const scratch = new ScratchDatabases('stampede-bench-');
  try {
    const rows: BenchRow[] = [];
    for (const workload of WORKLOADS) rows.push(await benchWorkload(workload, scratch, seconds));
    return rows;
  } finally {
    scratch.removeAll();
  }
}
