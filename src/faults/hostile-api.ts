/**
 * Hostile input against the tracker's API, as a fast-check property: every call must either
 * succeed as the model says or reject with the TrackerError the model predicts; it must never
 * throw synchronously, reject with anything untyped, crash the model or pollute a prototype,
 * and a rejected call must leave the file exactly as it was (file-state.ts).
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { deepEqual } from '../engine/deep-equal';
import { diffValues } from '../engine/diff';
import { snapshotOfState } from '../../models/invariants';
import {
  callStore,
  describeOp,
  describeResult,
  type OpResult,
  type TrackerOp,
} from '../../models/operations';
import { stepTracker, type StepResult } from '../../models/tracker-model';
import type { TrackerState } from '../../models/tracker-state';
import { fileStateOf, type FileState } from '../scenarios/file-state';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import { isTrackerError, SqliteTracker, type StoreOptions, type TrackerStore } from '../tracker';
import { seedStore } from './fixture';
import { hostileOp } from './hostile-ops';

export interface HostileApiOptions {
  readonly inputs: number;
  readonly seed: number;
  readonly scratch: ScratchDatabases;
  readonly createStore?: (options: StoreOptions) => TrackerStore;
  /** A fresh seeded file every so many calls keeps the per-call file comparison cheap. */
  readonly callsPerFile?: number;
}

export interface HostileApiFigures {
  inputs: number;
  /** Calls the model and the store both refused with the same typed error. */
  refused: number;
  /** Calls that succeeded (hostile text stored verbatim, unknown-but-valid reads...). */
  accepted: number;
  /** Synchronous throws, untyped rejections, model crashes, polluted prototypes. */
  crashes: number;
  modelDisagreements: number;
  writesFromRejectedCalls: number;
  problems: string[];
}

const MAX_PROBLEMS = 10;

interface Fixture {
  readonly dbPath: string;
  readonly store: TrackerStore;
  readonly reader: Database.Database;
  state: TrackerState;
  fileState: FileState;
  calls: number;
}

export async function runHostileApi(options: HostileApiOptions): Promise<HostileApiFigures> {
  const createStore = options.createStore ?? ((o: StoreOptions) => new SqliteTracker(o));
  const callsPerFile = options.callsPerFile ?? 400;
  const figures: HostileApiFigures = {
    inputs: 0,
    refused: 0,
    accepted: 0,
    crashes: 0,
    modelDisagreements: 0,
    writesFromRejectedCalls: 0,
    problems: [],
  };
  const problem = (op: TrackerOp, text: string) => {
    if (figures.problems.length < MAX_PROBLEMS)
      figures.problems.push(`${safeDescribe(op)}: ${text}`);
  };
  let fixture = await openFixture(options.scratch, createStore);
  try {
    const details = await fc.check(
      fc.asyncProperty(hostileOp, async (op) => {
        if (fixture.calls >= callsPerFile) {
          await closeFixture(fixture, options.scratch);
          fixture = await openFixture(options.scratch, createStore);
        }
        fixture.calls += 1;
        figures.inputs += 1;
        // Nothing else writes to the file: the state after the last call is the state before.
        const before = fixture.fileState;
        const expected = modelStep(fixture.state, op);
        const observed = await storeCall(fixture.store, op);
        const after = await fileStateOf(fixture.store, fixture.reader);
        fixture.fileState = after;
        let ok = true;
        const fail = (
          counter: 'crashes' | 'modelDisagreements' | 'writesFromRejectedCalls',
          text: string,
        ) => {
          figures[counter] += 1;
          problem(op, text);
          ok = false;
        };
        if ('crash' in expected) fail('crashes', `the model crashed: ${expected.crash}`);
        if ('crash' in observed) fail('crashes', `the store crashed: ${observed.crash}`);
        if (prototypePolluted()) fail('crashes', 'Object.prototype was polluted');
        if (!ok || 'crash' in expected || 'crash' in observed) return false;
        if (!deepEqual(expected.result, observed.result)) {
          fail(
            'modelDisagreements',
            `returned ${describeResult(observed.result)}, the model says ${describeResult(expected.result)}`,
          );
          return false;
        }
        if (!observed.result.ok) {
          figures.refused += 1;
          if (!deepEqual(before, after)) {
            fail(
              'writesFromRejectedCalls',
              `a refused call wrote: ${diffValues(before, after).slice(0, 2).join('; ')}`,
            );
          }
          return ok;
        }
        figures.accepted += 1;
        fixture.state = expected.state;
        const model = snapshotOfState(fixture.state);
        if (!deepEqual(model, after.snapshot)) {
          fail(
            'modelDisagreements',
            `file and model differ: ${diffValues(model, after.snapshot).slice(0, 2).join('; ')}`,
          );
        }
        return ok;
      }),
      { numRuns: options.inputs, seed: options.seed, endOnFailure: true },
    );
    if (details.failed && details.counterexample !== null) {
      problem(details.counterexample[0], `smallest failing input (seed ${options.seed})`);
    }
  } finally {
    await closeFixture(fixture, options.scratch);
  }
  return figures;
}

type Outcome = { readonly result: OpResult } | { readonly crash: string };

function modelStep(state: TrackerState, op: TrackerOp): StepResult | { readonly crash: string } {
  try {
    return stepTracker(state, op);
  } catch (error) {
    return { crash: String(error) };
  }
}

/** The store's answer as data; anything but a returned promise settling typed is a crash. */
async function storeCall(store: TrackerStore, op: TrackerOp): Promise<Outcome> {
  let pending: Promise<unknown>;
  try {
    pending = callStore(store, op);
  } catch (error) {
    return { crash: `threw synchronously: ${String(error)}` };
  }
  try {
    return { result: { ok: true, value: await pending } };
  } catch (error) {
    if (!isTrackerError(error)) return { crash: `rejected with an untyped ${String(error)}` };
    return {
      result:
        error.field === undefined
          ? { ok: false, code: error.code }
          : { ok: false, code: error.code, field: error.field },
    };
  }
}

function prototypePolluted(): boolean {
  return (
    Object.keys(Object.prototype).length > 0 ||
    (Object.prototype as Record<string, unknown>).polluted !== undefined
  );
}

async function openFixture(
  scratch: ScratchDatabases,
  createStore: (options: StoreOptions) => TrackerStore,
): Promise<Fixture> {
  const dbPath = scratch.next();
  const store = createStore({ dbPath });
  const state = await seedStore(store);
  const reader = new Database(dbPath, { readonly: true });
  return { dbPath, store, reader, state, fileState: await fileStateOf(store, reader), calls: 0 };
}

async function closeFixture(fixture: Fixture, scratch: ScratchDatabases): Promise<void> {
  fixture.reader.close();
  await fixture.store.close();
  scratch.discard(fixture.dbPath);
}

/** Printing a Proxy that throws on every read throws too: never let the report crash. */
function safeDescribe(op: TrackerOp): string {
  try {
    const text = describeOp(op);
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
  } catch {
    return `store.${op.kind}(<unprintable argument>)`;
  }
}
