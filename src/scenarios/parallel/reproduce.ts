/**
 * From a parallel failure to a deterministic reproduction: the calls of the witness are replayed,
 * first whole and one at a time in the order they were invoked (observed-order-replay.ts), then
 * by the interleaving engine (statement by statement, one store instance per worker, on a fresh
 * file) under generated schedules until one fails, or the budget runs out. Calls that finished
 * before any other call of the witness started form the sequential prefix; the others become one
 * program per worker. Ids are renumbered as the model hands them out on the fresh file, in the
 * order the calls were observed; rows the round started with are rebuilt by the prefix, and rows
 * the round itself made are made again by the calls that made them (reproduction-setup.ts).
 *
 * A bug that needs concurrent calls on ONE store instance (shared-connection) cannot be
 * reproduced this way, and says so; a set-up call the fresh file refuses is named in the note.
 */
import fc from 'fast-check';
import { scheduleArbitrary } from '../../engine/interleave/schedule';
import type { OpBuilder, TaggedOpBuilder } from '../../../models/arbitraries';
import type { Operation } from '../../engine/history';
import { describeOp, isWrite, type OpResult, type TrackerOp } from '../../../models/operations';
import { stepTracker } from '../../../models/tracker-model';
import { initialTrackerState, tasksOf, type TrackerState } from '../../../models/tracker-state';
import type { StoreFactory } from '../../target/store-factory';
import {
  DEFAULT_INTERLEAVED,
  InterleavingFailure,
  runInterleavedCase,
  scheduleBounds,
} from '../interleaved-case';
import { ScratchDatabases } from '../scratch-db';
import type { ParallelViolation } from './check-parallel-history';
import { replayInObservedOrder, type OrderedCall } from './observed-order-replay';
import { rowsNeeded, setUpCalls } from './reproduction-setup';

export interface Reproduction {
  readonly reproduced: boolean;
  readonly attempts: number;
  readonly prefix: readonly TrackerOp[];
  readonly programs: readonly (readonly TrackerOp[])[];
  /** The interleaving engine's report of the reproducing case. */
  readonly report?: string;
  /** Reproduced by the calls one at a time in their observed order, before any schedule. */
  readonly inObservedOrder?: true;
  readonly note?: string;
}

export interface ReproduceOptions {
  readonly createStore: StoreFactory;
  readonly attempts: number;
  readonly timeLimitMs: number;
  readonly seed: number;
  /** Lanes per worker thread of the run (lanes of one thread share one store instance). */
  readonly lanesPerThread?: number;
}

interface WitnessCall {
  readonly id: number;
  readonly worker: number;
  readonly invoke: number;
  readonly response: number;
  readonly op: TrackerOp;
  readonly output: OpResult;
  /** Not in the witness: a call of the round that made a row the witness needs. */
  readonly setUp?: true;
}

/** Earlier calls on the same rows from the same thread (lanes of one thread share its store
 * instance), kept as context: they may prime state the instance keeps (a cache), which no
 * linearizability witness mentions. */
const CONTEXT_PER_CALL = 2;
const CONCURRENT_PER_CALL = 3;

export async function reproduceWithInterleavings(
  violation: ParallelViolation,
  initial: TrackerState,
  options: ReproduceOptions,
  round: readonly Operation<TrackerOp, OpResult>[] = [],
): Promise<Reproduction> {
  const witness = violation.witness.minimal as readonly Operation<unknown, OpResult>[];
  // In an ids or key projection the race is between creates; elsewhere, between writes to rows.
  const createsRace = / ids$|^client key|^epic key/.test(violation.projection);
  const threadOf = (worker: number) => threadOfLane(worker, options.lanesPerThread) ?? worker;
  const context = contextOf(witness, round, createsRace, threadOf);
  const calls: WitnessCall[] = [...witness, ...context]
    .map((op) => {
      const input = op.input as unknown as { call?: TrackerOp; kind?: string };
      const call = (input.call ?? input) as TrackerOp | { kind: 'finalState' };
      return {
        id: op.id,
        worker: op.worker,
        invoke: op.invoke,
        response: op.response,
        op: call as TrackerOp,
        output: op.output,
      };
    })
    .filter((c) => (c.op.kind as string) !== 'finalState' && c.response !== Infinity)
    .sort((a, b) => a.invoke - b.invoke);
  const setUp = setUpCalls(calls, initial, round).map((op): WitnessCall => ({
    ...op,
    op: op.input,
    setUp: true,
  }));
  const { prefix, programs, programWorkers, ordered, unrebuilt } = splitCalls(
    [...calls, ...setUp].sort((a, b) => a.invoke - b.invoke),
    initial,
  );
  if (programs.length === 0) {
    return {
      reproduced: false,
      attempts: 0,
      prefix,
      programs,
      note: 'no concurrent calls in the witness',
    };
  }
  const constant =
    (op: TrackerOp): OpBuilder =>
    () =>
      op;
  const tagged = (op: TrackerOp): TaggedOpBuilder => ({ kind: op.kind, build: constant(op) });
  const settings = { ...DEFAULT_INTERLEAVED, maxWorkers: Math.max(programs.length, 2) };
  const schedules = fc.sample(
    scheduleArbitrary(
      'mixed',
      scheduleBounds(settings, Math.max(...programs.map((program) => program.length))),
    ),
    { seed: options.seed, numRuns: options.attempts },
  );
  const scratch = new ScratchDatabases('stampede-reproduce-');
  const deadline = Date.now() + options.timeLimitMs;
  let attempts = 0;
  try {
    const threads = [...new Set(programWorkers.map(threadOf))];
    const inOrder = await replayInObservedOrder(
      prefix,
      ordered,
      programWorkers.map((worker) => threads.indexOf(threadOf(worker))),
      options.createStore,
      scratch,
    );
    if (inOrder !== undefined) {
      return {
        reproduced: true,
        attempts: 0,
        inObservedOrder: true,
        prefix,
        programs,
        report: inOrder,
      };
    }
    for (const schedule of schedules) {
      if (Date.now() > deadline) break;
      attempts += 1;
      try {
        await runInterleavedCase(
          {
            prefix: prefix.map(constant),
            programs: programs.map((program) => program.map(tagged)),
            swarm: undefined,
            schedule,
          },
          { createStore: options.createStore, scratch, settings },
        );
      } catch (error) {
        if (error instanceof InterleavingFailure) {
          return { reproduced: true, attempts, prefix, programs, report: error.message };
        }
        throw error;
      }
    }
  } finally {
    scratch.removeAll();
  }
  return {
    reproduced: false,
    attempts,
    prefix,
    programs,
    note: notReproducedNote(calls, unrebuilt, options.lanesPerThread),
  };
}

/** The thread a lane ran on; undefined when the run's lanes per thread are not known. */
function threadOfLane(worker: number, lanesPerThread: number | undefined): number | undefined {
  return lanesPerThread === undefined ? undefined : Math.floor(worker / lanesPerThread);
}

/** Why a reproduction may have failed, from what the witness shows. */
function notReproducedNote(
  calls: readonly WitnessCall[],
  unrebuilt: readonly string[],
  lanesPerThread: number | undefined,
): string {
  const notes = ['no schedule tried made it fail'];
  if (unrebuilt.length > 0) {
    notes.push(`the set-up could not rebuild what these calls needed: ${unrebuilt.join('; ')}`);
  }
  // Lanes of one thread share its store instance; the interleaving engine gives each its own.
  const threadOf = (worker: number) => threadOfLane(worker, lanesPerThread);
  // Overlapping or not: a call of one lane can leave state in the instance (a cache) that a
  // call of a sibling lane then meets.
  const sharedInstance = calls.some((a) =>
    calls.some(
      (b) =>
        a.worker !== b.worker &&
        threadOf(a.worker) !== undefined &&
        threadOf(a.worker) === threadOf(b.worker),
    ),
  );
  if (sharedInstance || lanesPerThread === undefined) {
    notes.push(
      (sharedInstance
        ? 'calls came from lanes of one thread, which share its store instance: '
        : '') +
        'a bug that needs concurrent calls on one store instance cannot show here (each worker ' +
        'of the interleaving engine has its own)',
    );
  } else {
    notes.push('the calls ran on different threads: more attempts may find the schedule');
  }
  return notes.join('; ');
}

/**
 * Prefix: rows the calls need from the round's start, then the calls that returned before
 * every later call began. Programs: the rest, by worker. Ids renumbered for a fresh file.
 */
export function splitCalls(
  calls: readonly WitnessCall[],
  initial: TrackerState,
): {
  prefix: TrackerOp[];
  programs: TrackerOp[][];
  /** The logical worker (lane) of each program. */
  programWorkers: number[];
  ordered: OrderedCall[];
  unrebuilt: string[];
} {
  const renumber = new Renumbering();
  const prefix: TrackerOp[] = rebuildRows(calls, initial, renumber);
  const unrebuilt: string[] = [];
  // Leading set-up calls, and leading creations that returned before anything else began, set
  // the scene; every other call runs on its worker's own store instance, even when the threads
  // happened not to overlap.
  let k = 0;
  for (; k < calls.length; k += 1) {
    const call = calls[k]!;
    const laterStart = calls.slice(k + 1).reduce((t, c) => Math.min(t, c.invoke), Infinity);
    const setsTheScene =
      call.setUp === true || (call.response < laterStart && CREATES.has(call.op.kind));
    if (!setsTheScene) break;
    const op = renumber.applyCall(call);
    prefix.push(op);
    // Succeeded in the run, fails on the fresh file: a row it needs was not rebuilt.
    if (call.output.ok && renumber.lastResult?.ok === false) unrebuilt.push(describeOp(op));
  }
  // Programs are numbered in the order their workers first appear, as `programs` lists them.
  const byWorker = new Map<number, { index: number; ops: TrackerOp[] }>();
  const ordered: OrderedCall[] = [];
  for (const call of calls.slice(k)) {
    let program = byWorker.get(call.worker);
    if (program === undefined) {
      program = { index: byWorker.size, ops: [] };
      byWorker.set(call.worker, program);
    }
    const op = renumber.applyCall(call);
    program.ops.push(op);
    ordered.push({ program: program.index, op });
  }
  return {
    prefix,
    programs: [...byWorker.values()].map((program) => program.ops),
    programWorkers: [...byWorker.keys()],
    ordered,
    unrebuilt,
  };
}

const CREATES = new Set(['createClient', 'createEpic', 'createEpicWithTasks', 'createTask']);

function kindOf(input: unknown): string {
  const holder = input as { call?: { kind: string }; kind?: string };
  return holder.call?.kind ?? holder.kind ?? '';
}

/**
 * The rows a call works on, as `epic:<id>` / `task:<id>` / `client:<id>`: those it needs, but
 * not the client an epic is made for (every epic of that client would count as context).
 */
function rowsNamed(input: unknown): string[] {
  const holder = input as { call?: TrackerOp };
  const op = (holder.call ?? input) as TrackerOp;
  return op.kind === 'createEpic' || op.kind === 'createEpicWithTasks' ? [] : rowsNeeded(op);
}

function contextOf(
  witness: readonly Operation<unknown, OpResult>[],
  round: readonly Operation<TrackerOp, OpResult>[],
  createsRace: boolean,
  /** Lanes of one thread share its store instance (and whatever it keeps, a cache). */
  threadOf: (worker: number) => number,
): Operation<unknown, OpResult>[] {
  const have = new Set(witness.map((op) => op.id));
  const context: Operation<unknown, OpResult>[] = [];
  for (const call of witness) {
    const rows = new Set(rowsNamed(call.input));
    if (rows.size === 0) continue;
    const earlier = round
      .filter(
        (op) =>
          threadOf(op.worker) === threadOf(call.worker) &&
          op.invoke < call.invoke &&
          !have.has(op.id) &&
          rowsNamed(op.input).some((row) => rows.has(row)),
      )
      .slice(-CONTEXT_PER_CALL);
    for (const op of earlier) {
      have.add(op.id);
      context.push(op);
    }
  }
  // Writes of other workers running at the same time: the race the witness only shows the
  // result of (the other createClient of MAX(id)+1, the creates whose ids split an epic's).
  for (const call of witness) {
    if (call.response === Infinity) continue;
    const rows = new Set(rowsNamed(call.input));
    // An epic whose tasks got ids with gaps raced other workers' creates for them. Only then:
    // the racing creates would keep a witness's leading create out of the prefix, and the calls
    // naming its tasks would meet ids the schedule hands out differently.
    const creates = CREATES.has(kindOf(call.input)) && (createsRace || taskIdsSplit(call.output));
    const racing = round
      .filter(
        (op) =>
          op.worker !== call.worker &&
          !have.has(op.id) &&
          op.invoke < call.response &&
          op.response > call.invoke &&
          isWrite(op.input) &&
          // A create races other creates (ids, keys); any other call, writes to its own rows.
          ((creates && CREATES.has(op.input.kind)) ||
            rowsNamed(op.input).some((row) => rows.has(row))),
      )
      .slice(0, CONCURRENT_PER_CALL);
    for (const op of racing) {
      have.add(op.id);
      context.push(op);
    }
  }
  return context;
}

/** An epic made with its tasks whose task ids are not consecutive. */
function taskIdsSplit(output: OpResult): boolean {
  if (!output.ok) return false;
  const tasks = (output.value as { tasks?: readonly { id: number }[] } | null)?.tasks;
  if (tasks === undefined) return false;
  return tasks.some((task, k) => k > 0 && task.id !== tasks[k - 1]!.id + 1);
}

/** Original ids -> the ids a fresh file hands out, learned by stepping the model in call order. */
class Renumbering {
  private state = initialTrackerState();
  private readonly ids = {
    client: new Map<number, number>(),
    epic: new Map<number, number>(),
    task: new Map<number, number>(),
  };
  private readonly originals: { client: number[]; epic: number[]; task: number[] } = {
    client: [],
    epic: [],
    task: [],
  };

  /** Declares that the next creation of `entity` stands for the original id `id`. */
  expect(entity: 'client' | 'epic' | 'task', id: number): void {
    this.originals[entity].push(id);
  }

  apply(op: TrackerOp): TrackerOp {
    const map = (entity: 'client' | 'epic' | 'task', id: number) => this.ids[entity].get(id) ?? id;
    let out: TrackerOp;
    switch (op.kind) {
      case 'createEpic':
        out = { ...op, input: { ...op.input, clientId: map('client', op.input.clientId) } };
        break;
      case 'createEpicWithTasks':
        out = { ...op, epic: { ...op.epic, clientId: map('client', op.epic.clientId) } };
        break;
      case 'createTask':
        out = { ...op, input: { ...op.input, epicId: map('epic', op.input.epicId) } };
        break;
      case 'startTask':
      case 'advanceTaskPhase':
      case 'completeTask':
        out = { ...op, taskId: map('task', op.taskId) };
        break;
      case 'getClient':
        out = { ...op, id: map('client', op.id) };
        break;
      case 'getEpic':
        out = { ...op, id: map('epic', op.id) };
        break;
      case 'getTask':
        out = { ...op, id: map('task', op.id) };
        break;
      case 'getEpicAnalytics':
        out = { ...op, epicId: map('epic', op.epicId) };
        break;
      default:
        out = op;
    }
    this.lastResult = this.learn(out);
    return out;
  }

  /** The model's result of the call `apply` last renumbered, on the fresh file. */
  lastResult: OpResult | undefined;

  /** Steps the model; each id it hands out stands for the next expected original id. */
  private learn(op: TrackerOp): OpResult {
    const before = this.state.lastIds;
    const step = stepTracker(this.state, op);
    this.state = step.state;
    for (const entity of ['client', 'epic', 'task'] as const) {
      for (let id = before[entity] + 1; id <= this.state.lastIds[entity]; id += 1) {
        const original = this.originals[entity].shift();
        if (original !== undefined) this.ids[entity].set(original, id);
      }
    }
    return step.result;
  }

  /** Applies a witness call, first declaring the original ids its observed output took. */
  applyCall(call: WitnessCall): TrackerOp {
    if (call.output.ok) {
      const value = call.output.value as Record<string, unknown>;
      switch (call.op.kind) {
        case 'createClient':
          this.expect('client', value.id as number);
          break;
        case 'createEpic':
          this.expect('epic', value.id as number);
          break;
        case 'createEpicWithTasks': {
          const made = value as { epic: { id: number }; tasks: { id: number }[] };
          this.expect('epic', made.epic.id);
          for (const task of made.tasks) this.expect('task', task.id);
          break;
        }
        case 'createTask':
          this.expect('task', value.id as number);
          break;
        default:
          break;
      }
    }
    return this.apply(call.op);
  }
}

/**
 * Calls that name rows the round started with (made in an earlier round) get those rows rebuilt
 * first: the client, the epic, and each task brought to its status and phase.
 */
function rebuildRows(
  calls: readonly WitnessCall[],
  initial: TrackerState,
  renumber: Renumbering,
): TrackerOp[] {
  const epics = new Set<number>();
  for (const { op } of calls) {
    const epicId =
      op.kind === 'getEpic'
        ? op.id
        : op.kind === 'getEpicAnalytics'
          ? op.epicId
          : op.kind === 'createTask'
            ? op.input.epicId
            : op.kind === 'getTask'
              ? initial.tasks.get(op.id)?.epicId
              : 'taskId' in op
                ? initial.tasks.get(op.taskId)?.epicId
                : undefined;
    if (epicId !== undefined && initial.epics.has(epicId)) epics.add(epicId);
  }
  const ops: TrackerOp[] = [];
  const clients = new Set<number>();
  const rebuildClient = (clientId: number) => {
    const client = initial.clients.get(clientId);
    if (client === undefined || clients.has(client.id)) return;
    clients.add(client.id);
    renumber.expect('client', client.id);
    ops.push(
      renumber.apply({
        kind: 'createClient',
        input: { clientKey: client.clientKey, name: client.name },
      }),
    );
  };
  // Clients of the epics the calls create (made in an earlier round).
  for (const { op } of calls) {
    if (op.kind === 'createEpic') rebuildClient(op.input.clientId);
    if (op.kind === 'createEpicWithTasks') rebuildClient(op.epic.clientId);
  }
  for (const epicId of [...epics].sort((a, b) => a - b)) {
    const epic = initial.epics.get(epicId)!;
    rebuildClient(epic.clientId);
    renumber.expect('epic', epic.id);
    ops.push(
      renumber.apply({
        kind: 'createEpic',
        input: {
          clientId: epic.clientId,
          epicKey: epic.epicKey,
          title: epic.title,
          pointsValue: epic.pointsValue,
        },
      }),
    );
    for (const task of tasksOf(initial, epicId)) {
      renumber.expect('task', task.id);
      const { id: _id, epicId: _epic, status, ...fields } = task;
      void _id;
      void _epic;
      ops.push(
        renumber.apply({
          kind: 'createTask',
          input: { ...fields, epicId: epic.id, tddPhase: fields.tddPhase },
        }),
      );
      if (status !== 'todo') ops.push(renumber.apply({ kind: 'startTask', taskId: task.id }));
      if (status === 'completed')
        ops.push(renumber.apply({ kind: 'completeTask', taskId: task.id }));
    }
  }
  return ops;
}
