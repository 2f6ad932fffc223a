/**
 * The interleaved property: a sequential prefix, then K workers (each with its own connection to
 * the same WAL file) running their programs statement by statement under a generated schedule.
 * The history is checked for linearizability against the model, final contents included, and
 * the file for integrity and the tracker's invariants.
 */
import fc from 'fast-check';
import { checkLinearizability, type CheckResult } from '../engine/linearizability';
import type { Operation } from '../engine/history';
import { InterleavingScheduler, type SchedulerVerdict } from '../engine/interleave/scheduler';
import { runPrograms, type InterleavedExecution } from '../engine/interleave/run-programs';
import {
  ScheduleCursor,
  scheduleArbitrary,
  type Schedule,
  type ScheduleBounds,
  type ScheduleKind,
} from '../engine/interleave/schedule';
import {
  opBuilderArbitrary,
  swarmArbitrary,
  taggedOpArbitrary,
  type OpBuilder,
  type TaggedOpBuilder,
} from '../../models/arbitraries';
import { setupArbitrary } from '../../models/setup';
import type { OpKind } from '../../models/operations';
import { invariantViolations, snapshotOfStore } from '../../models/invariants';
import {
  applyToStore,
  describeOp,
  describeResult,
  summarizeResult,
  type OpResult,
  type TrackerOp,
} from '../../models/operations';
import { trackerLinModel, type LinInput } from '../../models/tracker-lin-model';
import { stepTracker } from '../../models/tracker-model';
import { initialTrackerState, type TrackerState } from '../../models/tracker-state';
import { resultsAgree } from '../../models/commands';
import type { StoreFactory } from '../target/store-factory';
import type { TrackerStore } from '../tracker';
import { caseDatabase, type SharedCaseFile } from './case-file';
import type { ScratchDatabases } from './scratch-db';
import { expectedSteps } from './expected-steps';
import { formatInterleavedFailure } from './interleaved-report';

/** In a program: the worker's previous call once more (read it again, retry it). */
export const AGAIN = 'again' as const;

/**
 * A call shrinking removed. It does not run; under random picks it stays as a ghost that takes
 * its expected steps, so that the other calls keep their picks (see runInterleavedCase).
 */
export interface RemovedCall {
  readonly removed: TaggedOpBuilder | typeof AGAIN;
}

export type ProgramCall = TaggedOpBuilder | typeof AGAIN | RemovedCall;

export interface InterleavedCase {
  readonly prefix: readonly OpBuilder[];
  /** `undefined` is a call that is not there at all (cases made by hand). */
  readonly programs: readonly (readonly (ProgramCall | undefined)[])[];
  /** The operations this case enables: the others are dropped from the programs. */
  readonly swarm: readonly OpKind[] | undefined;
  readonly schedule: Schedule;
}

export interface InterleavedSettings {
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly maxPrefix: number;
  readonly maxOpsPerWorker: number;
  /** Swarm testing: each case enables a subset of the operations (see swarmArbitrary). */
  readonly swarm: boolean;
  /** A worker sometimes repeats its previous call, as a client polling a page does. */
  readonly repeatCalls: boolean;
  readonly scheduleKind: ScheduleKind;
  /** PCT depth (context switches + 1). */
  readonly depth: number;
  /** Range of steps where PCT change points (or random picks) fall. */
  readonly scheduleSteps: number;
  /** Gates of one call (its start, statements, back-offs) a `points` schedule can switch at. */
  readonly maxGatesPerCall: number;
  /** Livelock guard per case. */
  readonly maxSteps: number;
  readonly checkTimeoutMs: number;
}

export const DEFAULT_INTERLEAVED: InterleavedSettings = {
  minWorkers: 2,
  maxWorkers: 3,
  maxPrefix: 2,
  maxOpsPerWorker: 4,
  swarm: true,
  repeatCalls: true,
  scheduleKind: 'mixed',
  depth: 3,
  scheduleSteps: 60,
  maxGatesPerCall: 8,
  maxSteps: 5_000,
  checkTimeoutMs: 5_000,
};

/** What workers mostly do to the rows the setup made: transition, create and read them. */
export const WORKER_MIX: Partial<Record<OpKind, number>> = {
  createClient: 2,
  createEpicWithTasks: 3,
  createTask: 1,
  startTask: 2,
  advanceTaskPhase: 1,
  completeTask: 4,
  getEpic: 2,
  getTask: 1,
  getEpicAnalytics: 4,
  listClients: 2,
  listEpics: 1,
  listTasks: 3,
};

export function interleavedCaseArbitrary(
  settings: InterleavedSettings,
): fc.Arbitrary<InterleavedCase> {
  const op = settings.repeatCalls
    ? fc.oneof(
        { weight: 5, arbitrary: taggedOpArbitrary(WORKER_MIX) },
        { weight: 1, arbitrary: fc.constant(AGAIN) },
      )
    : taggedOpArbitrary(WORKER_MIX);
  // fast-check shrinks an array by dropping its first items and shrinking each item in place:
  // each call can shrink to "removed", so any call of any worker can go. A removed call keeps
  // its kind and inputs, which a step-indexed schedule needs to plan around it.
  const removable = fc
    .tuple(fc.option(fc.constant(true), { nil: false, freq: 1_000 }), op)
    .map(([runs, call]): ProgramCall => (runs ? call : { removed: call }));
  // About half the kinds are off in a swarm case: draw twice the calls to keep its length.
  const drawn = settings.swarm ? settings.maxOpsPerWorker * 2 : settings.maxOpsPerWorker;
  return fc.record({
    prefix: fc
      .tuple(
        setupArbitrary,
        fc.array(fc.option(opBuilderArbitrary(), { nil: undefined, freq: 1_000 }), {
          maxLength: settings.maxPrefix,
        }),
      )
      .map(([setup, extra]) => [...setup, ...extra.filter((build) => build !== undefined)]),
    programs: fc.array(fc.array(removable, { minLength: 1, maxLength: drawn }), {
      minLength: settings.minWorkers,
      maxLength: settings.maxWorkers,
    }),
    swarm: settings.swarm ? swarmArbitrary(WORKER_MIX) : fc.constant(undefined),
    schedule: scheduleArbitrary(settings.scheduleKind, scheduleBounds(settings, drawn)),
  });
}

/** What a schedule of these settings must cover, for programs of up to `maxCalls` calls. */
export function scheduleBounds(settings: InterleavedSettings, maxCalls: number): ScheduleBounds {
  return {
    maxWorkers: settings.maxWorkers,
    maxSteps: settings.scheduleSteps,
    depth: settings.depth,
    maxCalls,
    maxGates: settings.maxGatesPerCall,
  };
}

export interface InterleavedStats {
  cases: number;
  operations: number;
  steps: number;
  /** Calls that gave up with BUSY after their retry budget (left out of the history). */
  busy: number;
}

export function newInterleavedStats(): InterleavedStats {
  return { cases: 0, operations: 0, steps: 0, busy: 0 };
}

/** What one case saw, for the report of a failure. */
export interface InterleavedObservation {
  readonly prefix: readonly { call: string; outcome: string }[];
  readonly programs: readonly (readonly TrackerOp[])[];
  readonly schedule: Schedule;
  readonly history: readonly Operation<LinInput, OpResult>[];
  readonly verdict: SchedulerVerdict;
  readonly check: CheckResult<LinInput, OpResult> | undefined;
  readonly problems: readonly string[];
  readonly prefixState: TrackerState;
}

export class InterleavingFailure extends Error {
  override readonly name = 'InterleavingFailure';

  constructor(readonly observation: InterleavedObservation) {
    super(formatInterleavedFailure(observation));
  }
}

export interface InterleavedOptions {
  readonly createStore: StoreFactory;
  readonly scratch: ScratchDatabases;
  /**
   * One file for every case, emptied in between (much faster than a new file per case). Only
   * for stores that open an existing, emptied database as they would a new one.
   */
  readonly caseFile?: SharedCaseFile;
  readonly settings: InterleavedSettings;
  readonly stats?: InterleavedStats;
  /** Called when a case fails (before shrinking): lets a caller time the first catch. */
  readonly onFailure?: () => void;
}

export function interleavedProperty(options: InterleavedOptions) {
  return fc.asyncProperty(interleavedCaseArbitrary(options.settings), async (c) => {
    try {
      await runInterleavedCase(c, options);
    } catch (error) {
      options.onFailure?.();
      throw error;
    }
  });
}

/** Runs one case; throws InterleavingFailure when anything does not check out. */
export async function runInterleavedCase(
  c: InterleavedCase,
  options: InterleavedOptions,
): Promise<InterleavedObservation> {
  const { settings } = options;
  const database = caseDatabase(options.caseFile, options.scratch);
  const setup = await options.createStore(database.target);
  const stores: TrackerStore[] = [setup];
  try {
    // 1. The prefix, sequentially, checked call by call.
    let state = initialTrackerState();
    const prefix: { call: string; outcome: string }[] = [];
    for (const build of c.prefix) {
      const op = build(state);
      const expected = stepTracker(state, op);
      const observed = await applyToStore(setup, op);
      prefix.push({ call: describeOp(op), outcome: summarizeResult(observed) });
      if (!resultsAgree(expected.result, observed)) {
        throw new InterleavingFailure(
          observation(c, prefix, [], [], state, { kind: 'completed', steps: 0 }, undefined, [
            `prefix call ${prefix.length} gave ${describeResult(observed)}, the model expects ${describeResult(expected.result)}`,
          ]),
        );
      }
      state = expected.state;
    }
    const prefixState = state;

    // 2. Each worker's program, with ids resolved as if it ran alone after the prefix.
    const { programs, slots, workerKeys } = workerPrograms(c, prefixState);

    // 3. The workers, one connection each, interleaved by the schedule.
    const scheduler = new InterleavingScheduler(
      new ScheduleCursor(c.schedule, settings.maxWorkers),
      {
        workers: programs.length,
        maxSteps: settings.maxSteps,
        quiescenceTimeoutMs: 2_000,
        workerKeys,
      },
    );
    const workers: TrackerStore[] = [];
    for (let w = 0; w < programs.length; w += 1) {
      const store = await options.createStore({
        ...database.target,
        poolSize: 1,
        hooks: scheduler.gatesFor(w),
      });
      workers.push(store);
      stores.push(store);
    }
    const planned = await runPrograms<PlannedOp, OpResult>(
      scheduler,
      programs,
      async (worker, { op, ghostSteps }) => {
        if (ghostSteps === undefined) return applyToStore(workers[worker] as TrackerStore, op);
        // The start was one step; the rest pass through gates that run nothing.
        const gates = scheduler.gatesFor(worker);
        for (let i = 1; i < ghostSteps; i += 1)
          await gates.beforeStatement({ name: 'removed call' });
        return { ok: true, value: undefined };
      },
      ({ op, ghostSteps }) => (ghostSteps === undefined ? describeOp(op) : 'removed call'),
      slots,
    );
    const execution = withoutGhosts(planned);
    const realPrograms = programs.map((planned) =>
      planned.flatMap(({ op, ghostSteps }) => (ghostSteps === undefined ? [op] : [])),
    );

    // 4. The final contents as one more observation, after everything else.
    const busy = execution.history.filter((op) => !op.output?.ok && op.output?.code === 'BUSY');
    const last = execution.history.reduce(
      (max, op) => Math.max(max, Number.isFinite(op.response) ? op.response : op.invoke),
      0,
    );
    const finalState = await snapshotOfStore(setup);
    const history: Operation<LinInput, OpResult>[] = [
      ...execution.history.filter((op) => !busy.includes(op)),
      {
        id: execution.history.length,
        worker: realPrograms.length,
        input: { kind: 'finalState' },
        output: { ok: true, value: finalState },
        invoke: last + 1,
        response: last + 1,
      },
    ];
    const problems: string[] = [];
    if (execution.verdict.kind !== 'completed') problems.push(describeVerdict(execution.verdict));
    const health = await setup.healthCheck();
    if (health.integrity !== 'ok') problems.push(`PRAGMA integrity_check: ${health.integrity}`);
    if (health.foreignKeyViolations > 0) {
      problems.push(`PRAGMA foreign_key_check: ${health.foreignKeyViolations} violation(s)`);
    }
    problems.push(...invariantViolations(finalState).map((p) => `database: ${p}`));
    const check =
      execution.verdict.kind === 'completed'
        ? checkLinearizability(trackerLinModel(prefixState), history, {
            timeoutMs: settings.checkTimeoutMs,
          })
        : undefined;
    if (check?.verdict === 'unknown') problems.push(`checker: unknown (${check.reason})`);

    record(options.stats, execution.history.length, execution.trace.length, busy.length);
    const seen = observation(
      c,
      prefix,
      realPrograms,
      history,
      prefixState,
      execution.verdict,
      check,
      problems,
    );
    if (problems.length > 0 || check?.verdict === 'violation') throw new InterleavingFailure(seen);
    return seen;
  } finally {
    for (const store of stores) await store.close();
    database.release();
  }
}

/** A call of a worker's program as it runs: a ghost takes its steps and runs nothing. */
interface PlannedOp {
  readonly op: TrackerOp;
  readonly ghostSteps: number | undefined;
}

interface PlannedProgram {
  /** The worker's index as generated. */
  readonly worker: number;
  readonly calls: readonly {
    readonly builder: TaggedOpBuilder | typeof AGAIN;
    readonly slot: number;
    readonly removed: boolean;
  }[];
}

/**
 * The calls each worker runs. Each call keeps its slot, and each worker its index, as generated:
 * `points` schedules are keyed by them. Under random picks a removed call stays as a ghost that
 * takes its expected steps and runs nothing, so the picks of the other calls stay where they
 * were; a worker left with ghosts alone still takes their steps.
 */
function workerPrograms(
  c: InterleavedCase,
  prefixState: TrackerState,
): { programs: PlannedOp[][]; slots: number[][]; workerKeys: number[] } {
  const ghosts = c.schedule.kind === 'random';
  const programs: PlannedOp[][] = [];
  const slots: number[][] = [];
  const workerKeys: number[] = [];
  for (const { worker, calls } of plannedPrograms(c)) {
    let local = prefixState;
    let previous: TrackerOp | undefined;
    const planned: PlannedOp[] = [];
    const plannedSlots: number[] = [];
    for (const { builder, slot, removed } of calls) {
      if (builder === AGAIN && previous === undefined) continue;
      const op = builder === AGAIN ? (previous as TrackerOp) : builder.build(local);
      const expected = stepTracker(local, op);
      if (removed && !ghosts) continue;
      planned.push({ op, ghostSteps: removed ? expectedSteps(op, expected.result) : undefined });
      plannedSlots.push(slot);
      if (removed) continue;
      local = expected.state;
      previous = op;
    }
    if (planned.length > 0) {
      programs.push(planned);
      slots.push(plannedSlots);
      workerKeys.push(worker);
    }
  }
  return { programs, slots, workerKeys };
}

/** The calls of each worker, less those the case's swarm switched off; removed ones marked. */
function plannedPrograms(c: InterleavedCase): PlannedProgram[] {
  const enabled = c.swarm === undefined ? undefined : new Set(c.swarm);
  const isOn = (op: TaggedOpBuilder | typeof AGAIN) =>
    op === AGAIN || enabled === undefined || enabled.has(op.kind);
  return c.programs.map((program, worker) => ({
    worker,
    calls: program.flatMap((call, slot) => {
      if (call === undefined) return [];
      const removed = call !== AGAIN && 'removed' in call;
      const builder = removed ? call.removed : call;
      return isOn(builder) ? [{ builder, slot, removed }] : [];
    }),
  }));
}

/** The history of the real calls, numbered again from 0 in the order they started. */
function withoutGhosts(
  execution: InterleavedExecution<PlannedOp, OpResult>,
): InterleavedExecution<TrackerOp, OpResult> {
  const history = execution.history
    .filter(({ input }) => input.ghostSteps === undefined)
    .map((op, id) => ({ ...op, id, input: op.input.op }));
  return { ...execution, history };
}

function observation(
  c: InterleavedCase,
  prefix: readonly { call: string; outcome: string }[],
  programs: readonly (readonly TrackerOp[])[],
  history: readonly Operation<LinInput, OpResult>[],
  prefixState: TrackerState,
  verdict: SchedulerVerdict,
  check: CheckResult<LinInput, OpResult> | undefined,
  problems: readonly string[],
): InterleavedObservation {
  return { prefix, programs, schedule: c.schedule, history, verdict, check, problems, prefixState };
}

function describeVerdict(verdict: SchedulerVerdict): string {
  switch (verdict.kind) {
    case 'completed':
      return 'completed';
    case 'step-limit':
      return `no progress: still running after ${verdict.steps} steps (livelock?)`;
    case 'hang':
      return `worker ${verdict.worker + 1} hung after "${verdict.lastStep}" (it never reached its next statement)`;
    case 'crash':
      return `worker ${verdict.worker + 1} crashed: ${verdict.error}`;
  }
}

function record(
  stats: InterleavedStats | undefined,
  operations: number,
  steps: number,
  busy: number,
): void {
  if (stats === undefined) return;
  stats.cases += 1;
  stats.operations += operations;
  stats.steps += steps;
  stats.busy += busy;
}
