/**
 * Disk full: the database is capped (`maxPageCount`) a few pages above its size, and bulky
 * writes run until one meets SQLITE_FULL. That call must fail with STORAGE_FULL and write
 * nothing; the file must pass the integrity check, equal the model and still answer reads;
 * once the cap is raised, the same call must succeed as the model says. Repeated `cycles`
 * times on one file, each cycle starting from where the previous one left it.
 */
import Database from 'better-sqlite3';
import { deepEqual } from '../engine/deep-equal';
import { diffValues } from '../engine/diff';
import { invariantViolations, snapshotOfState, snapshotOfStore } from '../../models/invariants';
import { applyToStore, describeResult, type TrackerOp } from '../../models/operations';
import { stepTracker } from '../../models/tracker-model';
import { initialTrackerState, type TrackerState } from '../../models/tracker-state';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import { fileStateOf } from '../scenarios/file-state';
import { SqliteTracker, type StoreOptions, type TrackerStore } from '../tracker';
import { checkIntegrity } from './integrity';
import { seededRandom, type Random } from './random';

export interface DiskFullOptions {
  readonly cycles: number;
  readonly seed: number;
  readonly scratch: ScratchDatabases;
  /** The store under test (a planted-bug variant); the built-in tracker by default. */
  readonly createStore?: (options: StoreOptions) => TrackerStore;
  /** Pages of room above the file's size when a cycle starts. */
  readonly headroomPages?: number;
}

export interface DiskFullFigures {
  cycles: number;
  /** Calls that failed with STORAGE_FULL (one per cycle when all is well). */
  storageFullErrors: number;
  /** Writes that succeeded as the model said before the cap was met. */
  writesBeforeFull: number;
  integrityOk: number;
  /** Cycles where the file, reads and the failed call's footprint all agreed with the model. */
  modelAgrees: number;
  /** Cycles where the refused call succeeded after the cap was raised. */
  recovered: number;
  problems: string[];
}

/** A cycle that never meets the cap within this many writes is a failure of its own. */
const MAX_WRITES_PER_CYCLE = 2_000;

export async function runDiskFull(options: DiskFullOptions): Promise<DiskFullFigures> {
  const createStore = options.createStore ?? ((o: StoreOptions) => new SqliteTracker(o));
  const random = seededRandom(options.seed);
  const dbPath = options.scratch.next();
  const figures: DiskFullFigures = {
    cycles: 0,
    storageFullErrors: 0,
    writesBeforeFull: 0,
    integrityOk: 0,
    modelAgrees: 0,
    recovered: 0,
    problems: [],
  };
  let state = initialTrackerState();
  // The schema first, uncapped: the cap is measured from the file's size.
  await new SqliteTracker({ dbPath }).close();
  try {
    for (let cycle = 1; cycle <= options.cycles; cycle += 1) {
      figures.cycles = cycle;
      const problems: string[] = [];
      const outcome = await fillUntilFull(dbPath, createStore, state, random, options, problems);
      figures.writesBeforeFull += outcome.writes;
      state = outcome.state;
      if (outcome.refused !== undefined) {
        figures.storageFullErrors += 1;
        const integrity = checkIntegrity(dbPath);
        if (integrity === 'ok') figures.integrityOk += 1;
        else problems.push(`integrity check after SQLITE_FULL says ${integrity}`);
        const retried = await retryWithRoom(dbPath, createStore, state, outcome.refused, problems);
        if (retried !== undefined) {
          figures.recovered += 1;
          state = retried;
        }
      }
      if (problems.length === 0) figures.modelAgrees += 1;
      figures.problems.push(...problems.map((p) => `cycle ${cycle}: ${p}`));
      if (problems.length > 0) break;
    }
  } finally {
    options.scratch.discard(dbPath);
  }
  return figures;
}

interface FillOutcome {
  readonly writes: number;
  readonly state: TrackerState;
  /** The call refused with STORAGE_FULL, if the cap was met. */
  readonly refused?: TrackerOp;
}

async function fillUntilFull(
  dbPath: string,
  createStore: (options: StoreOptions) => TrackerStore,
  start: TrackerState,
  random: Random,
  options: DiskFullOptions,
  problems: string[],
): Promise<FillOutcome> {
  const cap = pageCount(dbPath) + (options.headroomPages ?? 6);
  const store = createStore({ dbPath, maxPageCount: cap });
  const reader = new Database(dbPath, { readonly: true });
  let state = start;
  try {
    for (let writes = 0; writes < MAX_WRITES_PER_CYCLE; writes += 1) {
      const op = bulkyWrite(state, random);
      const expected = stepTracker(state, op);
      const before = await fileStateOf(store, reader);
      const observed = await applyToStore(store, op);
      if (!observed.ok && observed.code === 'STORAGE_FULL') {
        await checkAfterFull(store, reader, state, before, problems);
        return { writes, state, refused: op };
      }
      if (!deepEqual(observed, expected.result)) {
        const diff = diffValues(expected.result, observed).slice(0, 2).join('; ');
        problems.push(`${op.kind} disagrees with the model: ${diff}`);
        return { writes, state };
      }
      state = expected.state;
    }
    problems.push(`no write met the cap of ${cap} pages within ${MAX_WRITES_PER_CYCLE} calls`);
    return { writes: MAX_WRITES_PER_CYCLE, state };
  } finally {
    reader.close();
    await store.close();
  }
}

/** After STORAGE_FULL: nothing written, the model agrees, reads still answer. */
async function checkAfterFull(
  store: TrackerStore,
  reader: Database.Database,
  state: TrackerState,
  before: Awaited<ReturnType<typeof fileStateOf>>,
  problems: string[],
): Promise<void> {
  const after = await fileStateOf(store, reader);
  if (!deepEqual(before, after)) {
    problems.push(`the refused call wrote: ${diffValues(before, after).slice(0, 3).join('; ')}`);
  }
  const expected = snapshotOfState(state);
  const observed = await snapshotOfStore(store);
  if (!deepEqual(expected, observed)) {
    problems.push(
      `file and model differ: ${diffValues(expected, observed).slice(0, 3).join('; ')}`,
    );
  }
  problems.push(...invariantViolations(observed));
  for (const epicId of state.epics.keys()) {
    const read: TrackerOp = { kind: 'getEpicAnalytics', epicId };
    const result = await applyToStore(store, read);
    if (!deepEqual(result, stepTracker(state, read).result)) {
      problems.push(`getEpicAnalytics(${epicId}) after SQLITE_FULL: ${describeResult(result)}`);
    }
  }
}

/** Frees room (a higher cap) and makes the refused call again: it must now succeed. */
async function retryWithRoom(
  dbPath: string,
  createStore: (options: StoreOptions) => TrackerStore,
  state: TrackerState,
  op: TrackerOp,
  problems: string[],
): Promise<TrackerState | undefined> {
  const store = createStore({ dbPath, maxPageCount: pageCount(dbPath) * 2 + 100 });
  try {
    const expected = stepTracker(state, op);
    const observed = await applyToStore(store, op);
    if (!deepEqual(observed, expected.result)) {
      problems.push(`after raising the cap, ${op.kind} returned ${describeResult(observed)}`);
      return undefined;
    }
    const snapshot = await snapshotOfStore(store);
    if (!deepEqual(snapshotOfState(expected.state), snapshot)) {
      problems.push('after raising the cap, the file and the model differ');
      return undefined;
    }
    return expected.state;
  } finally {
    await store.close();
  }
}

function pageCount(dbPath: string): number {
  const db = new Database(dbPath);
  try {
    return db.pragma('page_count', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Writes that take room: epics with many long-titled tasks, and completions in between. */
function bulkyWrite(state: TrackerState, random: Random): TrackerOp {
  if (state.clients.size === 0) {
    return { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } };
  }
  const open = [...state.tasks.values()].filter((t) => t.status !== 'completed');
  const task = open.length > 0 ? random.pick(open) : undefined;
  if (task !== undefined && random.next() < 0.3) {
    return task.status === 'todo'
      ? { kind: 'startTask', taskId: task.id }
      : { kind: 'completeTask', taskId: task.id };
  }
  const n = state.lastIds.epic + 1;
  const filler = (label: string) => `${label} `.padEnd(200, 'x');
  return {
    kind: 'createEpicWithTasks',
    epic: { clientId: 1, epicKey: `E-${n}`, title: filler(`Epic ${n}`), pointsValue: 10 },
    tasks: Array.from({ length: random.int(5, 20) }, (_, t) => ({
      taskKey: `T-${t + 1}`,
      title: filler(`Task ${t + 1}`),
      storyPoints: random.int(1, 8),
    })),
  };
}
