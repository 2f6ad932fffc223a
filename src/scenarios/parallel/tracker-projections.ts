/**
 * Splits a parallel history of tracker calls into projections the fast checker judges one by
 * one (see docs/CHECKER.md for why this is sound and what it cannot see):
 *
 * - `epic E`: every call on epic E or its tasks (its creation, createTask into it, transitions
 *   and reads of its tasks, getEpic, getEpicAnalytics) and the final contents of E and its
 *   tasks. Ids that no call created and the start state lacks get a projection too: reads of
 *   them must fail with NOT_FOUND, and rows of them in the database need a creator.
 * - `client key K`: createClient calls with key K, getClient of the id it got, the final row.
 * - `epic key K`: creations of epics with key K (success, or DUPLICATE_KEY on epicKey).
 * - `client ids`, `epic ids`, `task ids`: the successful creates as counters, so ids were handed
 *   out one after another in an order real time allows.
 */
import type { Operation } from '../../engine/history';
import { deepEqual } from '../../engine/model';
import { replayTimedInRealTimeOrder, type Projection } from '../../engine/projections';
import type { TrackerSnapshot } from '../../../models/invariants';
import type { OpResult, TrackerOp } from '../../../models/operations';
import { stateOf } from '../../../models/state-from-snapshot';
import {
  initialTrackerState,
  inPlace,
  nextState,
  tasksOf,
  type TrackerState,
} from '../../../models/tracker-state';
import type { Client } from '../../tracker';
import { dependencyClosure } from './dependencies';
import { IdIndex } from './id-index';
import {
  clientKeyView,
  counterModel,
  counterQuickCheck,
  epicView,
  entitiesTaken,
  rowsModel,
  type AssignedIds,
  type FinalView,
  type ProjectedInput,
} from './projected-models';

export type TrackerOperation = Operation<TrackerOp, OpResult>;
export type ProjectedOperation = Operation<ProjectedInput, OpResult>;

export interface TrackerProjections {
  readonly projections: Projection<unknown, ProjectedInput, OpResult>[];
  /** Calls no projection judges (lists read everything; see docs/CHECKER.md). */
  readonly unchecked: number;
}

/** Placeholder ids for creates that never returned: far from any real id. */
const PLACEHOLDER_BASE = 1_000_000_000;

/** Where groups are found by key: ids in an IdIndex, keys in a Map. */
interface GroupIndex<K> {
  get(key: K): Group | undefined;
  set(key: K, group: Group): unknown;
}

interface Group {
  /** The history's own calls, not copies: projected only when the projection is checked. */
  readonly calls: TrackerOperation[];
  readonly clientIds: number[];
  hasPendingCreate: boolean;
}

export function trackerProjections(
  history: readonly TrackerOperation[],
  initial: TrackerState,
  final: TrackerSnapshot | undefined,
): TrackerProjections {
  const { created, contested, pendingCreates, last, lastId } = surveyOf(history, initial);
  const epics = new IdIndex<Group>();
  const clientKeys = new Map<string, Group>();
  const epicKeys = new Map<string, Group>();
  const counters = new Map<string, TrackerOperation[]>(
    ['client', 'epic', 'task'].map((entity) => [entity, []]),
  );
  const group = <K>(map: GroupIndex<K>, key: K): Group => {
    let found = map.get(key);
    if (found === undefined) {
      found = { calls: [], clientIds: [], hasPendingCreate: false };
      map.set(key, found);
    }
    return found;
  };
  let unchecked = 0;

  for (const op of history) {
    const pending = op.response === Infinity;
    const call = op.input;
    // Counters: every successful (or maybe successful) create takes ids.
    if (pending || op.output.ok) {
      for (const entity of entitiesTaken(call)) counters.get(entity)!.push(op);
    }
    switch (call.kind) {
      case 'createClient': {
        const g = group(clientKeys, String(call.input?.clientKey));
        g.calls.push(op);
        g.hasPendingCreate ||= pending;
        break;
      }
      case 'createEpic':
      case 'createEpicWithTasks': {
        const input = call.kind === 'createEpic' ? call.input : call.epic;
        const epicId = pending || !op.output.ok ? undefined : assignedIds(op).epic;
        if (epicId !== undefined) {
          const g = group(epics, epicId);
          g.calls.push(op);
          addOnce(g.clientIds, Number(input?.clientId));
        }
        const key = String(input?.epicKey);
        const keyFailure = !op.output?.ok && op.output?.field === 'epicKey';
        if (pending || keyFailure || contested.has(key)) {
          const g = group(epicKeys, key);
          g.calls.push(op);
          addOnce(g.clientIds, Number(input?.clientId));
        } else if (epicId === undefined) {
          unchecked += 1; // refused for its client or its input: no row of its own to judge by
        }
        break;
      }
      case 'createTask': {
        const epicId = Number(call.input?.epicId);
        if (!created.epics.has(epicId) && pendingCreates.has('epic')) unchecked += 1;
        else {
          const g = group(epics, epicId);
          g.calls.push(op);
          g.hasPendingCreate ||= pending;
        }
        break;
      }
      case 'startTask':
      case 'advanceTaskPhase':
      case 'completeTask':
      case 'getTask': {
        const taskId = call.kind === 'getTask' ? call.id : call.taskId;
        const epicId = created.taskEpic.get(taskId);
        if (epicId !== undefined) group(epics, epicId).calls.push(op);
        else if (pendingCreates.has('task')) unchecked += 1;
        else group(epics, -Math.abs(Number(taskId)) || 0).calls.push(op);
        break;
      }
      case 'getEpic':
      case 'getEpicAnalytics': {
        const epicId = Number(call.kind === 'getEpic' ? call.id : call.epicId);
        if (!created.epics.has(epicId) && pendingCreates.has('epic')) unchecked += 1;
        else group(epics, epicId).calls.push(op);
        break;
      }
      case 'getClient': {
        const key = created.clientKey.get(call.id);
        if (key !== undefined) group(clientKeys, key).calls.push(op);
        else if (pendingCreates.has('client')) unchecked += 1;
        else group(clientKeys, `#absent ${String(call.id)}`).calls.push(op);
        break;
      }
      case 'listClients':
      case 'listEpics':
      case 'listTasks':
        unchecked += 1;
        break;
    }
  }

  // Final contents, seen through each projection (and rows no call explains get one).
  if (final !== undefined) {
    // A row no call of the round touched must be as the round found it: compared directly
    // (one projection per untouched row would cost as much as the rest of the check).
    const tasksByEpic = new Map<number, unknown[]>();
    for (const task of final.tasks) {
      const list = tasksByEpic.get(task.epicId) ?? [];
      list.push(task);
      tasksByEpic.set(task.epicId, list);
    }
    for (const epic of final.epics) {
      if (epics.has(epic.id)) continue;
      if (pendingCreates.has('epic')) continue;
      const before = { epic: initial.epics.get(epic.id), tasks: tasksOf(initial, epic.id) };
      const after = { epic, tasks: tasksByEpic.get(epic.id) ?? [] };
      if (!deepEqual(before, after)) group(epics, epic.id);
    }
    const finalEpics = new Set(final.epics.map((epic) => epic.id));
    for (const epicId of initial.epics.keys()) if (!finalEpics.has(epicId)) group(epics, epicId);
    for (const client of final.clients) {
      if (clientKeys.has(client.clientKey) || pendingCreates.has('client')) continue;
      if (!deepEqual(initial.clients.get(client.id), client)) group(clientKeys, client.clientKey);
    }
  }
  const ending: RoundEnd | undefined =
    final === undefined
      ? undefined
      : { at: last + 1, state: stateOf(final.clients, final.epics, final.tasks) };
  let nextFinalId = lastId + 1;
  // No final-contents call when there are no final contents, or a create never returned.
  const finalCallOf = (g: Group, view: FinalView): FinalCall | undefined =>
    ending === undefined || g.hasPendingCreate ? undefined : { id: nextFinalId++, view, ending };

  const projections: Projection<unknown, ProjectedInput, OpResult>[] = [];
  for (const [id, g] of epics.entries()) {
    const epicId = id as number;
    const view = epicId > 0 ? epicView(epicId) : undefined;
    projections.push(
      new DeferredProjection({
        name: epicId > 0 ? `epic ${epicId}` : `task ${-epicId} (never created)`,
        model: rowsModel(() => epicStart(initial, epicId, g.clientIds), view) as never,
        calls: g.calls,
        inputOf: projectedInput,
        finalCall: view === undefined ? undefined : finalCallOf(g, view),
        closes: true,
      }),
    );
  }
  const initialClients = new Map([...initial.clients.values()].map((c) => [c.clientKey, c]));
  for (const [key, g] of clientKeys) {
    const view = clientKeyView(key);
    const holder = initialClients.get(key);
    projections.push(
      new DeferredProjection({
        name: `client key ${JSON.stringify(key)}`,
        model: rowsModel(() => stateOf(holder ? [holder] : [], [], []), view) as never,
        calls: g.calls,
        inputOf: projectedInput,
        finalCall: finalCallOf(g, view),
        closes: true,
      }),
    );
  }
  for (const [key, g] of epicKeys) {
    const holder = initial.epicKeys.has(key);
    const start = () => {
      const state = epicStart(initial, undefined, g.clientIds);
      return holder ? nextState(state, { epicKeys: new Set([key]) }) : state;
    };
    projections.push(
      new DeferredProjection({
        name: `epic key ${JSON.stringify(key)}`,
        model: rowsModel(start, undefined) as never,
        calls: g.calls,
        inputOf: projectedInput,
      }),
    );
  }
  for (const [entity, calls] of counters) {
    const lastId = initial.lastIds[entity as 'client' | 'epic' | 'task'];
    projections.push(
      new DeferredProjection({
        name: `${entity} ids`,
        model: counterModel(entity, lastId) as never,
        calls,
        inputOf: callAsIs,
        outputOf: (op) => ({ ok: true, value: takenIds(op, entity) }),
        quickCheck: counterQuickCheck(entity, lastId),
      }),
    );
  }
  return { projections, unchecked };
}

/** When the round ended and what it left, for the final-contents call of each projection. */
interface RoundEnd {
  readonly at: number;
  readonly state: TrackerState;
}

/** The last call of a projection: the final contents, seen through its view. */
interface FinalCall {
  readonly id: number;
  readonly view: FinalView;
  readonly ending: RoundEnd;
}

type TrackerProjection = Projection<unknown, ProjectedInput, OpResult>;

interface DeferredSpec {
  readonly name: string;
  readonly model: TrackerProjection['model'];
  /** The history's own calls, in the projection. */
  readonly calls: readonly TrackerOperation[];
  /** A call's input as the projection's model takes it. */
  readonly inputOf: (op: TrackerOperation) => ProjectedInput;
  /** Its output as the projection sees it; default: as observed. */
  readonly outputOf?: (op: TrackerOperation) => OpResult;
  readonly finalCall?: FinalCall | undefined;
  /** Shrunk witnesses keep the writes their calls depend on (see dependencies.ts). */
  readonly closes?: boolean;
  /** A test of the projected operations; default: the calls replayed in real-time order. */
  readonly quickCheck?: (ops: readonly ProjectedOperation[]) => 'ok' | 'unsure';
}

/**
 * A projection whose calls are projected each time it is checked, not when it is made. A
 * 100k-call history makes ~19k projections: holding all their projected calls and start states
 * at once kept about 44 MB alive for the whole check; built on demand, 10 MB stay.
 */
class DeferredProjection implements TrackerProjection {
  readonly name: string;
  readonly model: TrackerProjection['model'];
  readonly closure?: (ops: readonly ProjectedOperation[]) => ProjectedOperation[];
  readonly quickCheck: () => 'ok' | 'unsure';
  private readonly calls: readonly TrackerOperation[];
  private readonly inputOf: (op: TrackerOperation) => ProjectedInput;
  private readonly outputOf: (op: TrackerOperation) => OpResult;
  private readonly finalCall: FinalCall | undefined;

  constructor(spec: DeferredSpec) {
    this.name = spec.name;
    this.model = spec.model;
    this.calls = spec.calls;
    this.inputOf = spec.inputOf;
    this.outputOf = spec.outputOf ?? observedOutput;
    this.finalCall = spec.finalCall;
    const test = spec.quickCheck;
    this.quickCheck =
      test === undefined ? () => this.replayInRealTimeOrder() : () => test(this.ops);
    if (spec.closes === true) {
      this.closure = (ops) => dependencyClosure(this.projectedCalls())(ops);
    }
  }

  get size(): number {
    return this.calls.length + (this.finalCall === undefined ? 0 : 1);
  }

  get ops(): ProjectedOperation[] {
    const ops = this.projectedCalls();
    if (this.finalCall !== undefined) ops.push(finalOperation(this.finalCall));
    return ops;
  }

  private projectedCalls(): ProjectedOperation[] {
    const { inputOf, outputOf } = this;
    // A literal of one shape, not a spread: this runs for every call of a checked projection.
    return this.calls.map((op) => ({
      id: op.id,
      worker: op.worker,
      input: inputOf(op),
      output: outputOf(op),
      invoke: op.invoke,
      response: op.response,
    }));
  }

  /**
   * The default quick check on the calls as they are: nearly every projection passes it, so
   * most are decided without building a projected copy of each call (a third of the check's
   * time and most of its garbage, when they were built first). Each order's replay starts
   * from a fresh `init` and never steps from a state twice: the model may change its states in
   * place (`inPlace`) instead of copying collections at every call.
   */
  private replayInRealTimeOrder(): 'ok' | 'unsure' {
    const { inputOf, outputOf } = this;
    const timed: (TrackerOperation | ProjectedOperation)[] = [...this.calls];
    const final = this.finalCall === undefined ? undefined : finalOperation(this.finalCall);
    if (final !== undefined) timed.push(final);
    return inPlace(() =>
      replayTimedInRealTimeOrder(
        this.model,
        timed,
        (op) => (op === final ? final.input : inputOf(op as TrackerOperation)),
        (op) => (op === final ? final.output : outputOf(op as TrackerOperation)),
      ),
    );
  }
}

function finalOperation({ id, view, ending }: FinalCall): ProjectedOperation {
  return {
    id,
    worker: -1,
    input: { call: { kind: 'finalState' } },
    output: { ok: true, value: view(ending.state) },
    invoke: ending.at,
    response: ending.at,
  };
}

const observedOutput = (op: TrackerOperation): OpResult => op.output;

/** A call as the rows models see it: creates carry the ids the store said they took. */
function projectedInput(op: TrackerOperation): ProjectedInput {
  return isCreate(op.input) ? { call: op.input, assigned: assignedIds(op) } : { call: op.input };
}

/** A call as a counter sees it: its outputs are the ids it took. */
function callAsIs(op: TrackerOperation): ProjectedInput {
  return { call: op.input };
}

function isCreate(call: TrackerOp): boolean {
  return (
    call.kind === 'createClient' ||
    call.kind === 'createEpic' ||
    call.kind === 'createEpicWithTasks' ||
    call.kind === 'createTask'
  );
}

/** The ids of `entity` a create took, as its counter projection reads them. */
function takenIds(op: TrackerOperation, entity: string): number[] {
  return op.response === Infinity ? [] : observedIds(op, entity);
}

function addOnce(list: number[], value: number): void {
  if (!list.includes(value)) list.push(value);
}

/** What the grouping needs to know of the whole history first, gathered in one pass. */
interface Survey {
  /** Ids each successful create was seen to take, and where each task and client id belongs. */
  readonly created: {
    readonly taskEpic: IdIndex<number>;
    readonly epics: IdIndex<true>;
    readonly clientKey: IdIndex<string>;
  };
  /**
   * Epic keys worth a projection: wanted by two creations, refused, wanted by a creation that
   * never returned, or already held. One creation that got a key nobody held cannot conflict.
   */
  readonly contested: Set<string>;
  /** Entities a create that never returned may have taken ids of. */
  readonly pendingCreates: Set<string>;
  /** The latest time in the history (an invoke, for calls that never returned). */
  readonly last: number;
  /** The highest operation id. */
  readonly lastId: number;
}

/** One pass: each pass over a big history costs a cache miss or two per call. */
function surveyOf(history: readonly TrackerOperation[], initial: TrackerState): Survey {
  const taskEpic = new IdIndex<number>();
  for (const t of initial.tasks.values()) taskEpic.set(t.id, t.epicId);
  const epics = new IdIndex<true>();
  for (const id of initial.epics.keys()) epics.set(id, true);
  const clientKey = new IdIndex<string>();
  for (const c of initial.clients.values()) clientKey.set(c.id, c.clientKey);
  const seenEpicKeys = new Set<string>();
  const contested = new Set<string>();
  const pendingCreates = new Set<string>();
  let last = 0;
  let lastId = 0;
  for (const op of history) {
    const pending = op.response === Infinity;
    last = Math.max(last, pending ? op.invoke : op.response);
    lastId = Math.max(lastId, op.id);
    const call = op.input;
    if (pending) for (const entity of entitiesTaken(call)) pendingCreates.add(entity);
    if (call.kind === 'createEpic' || call.kind === 'createEpicWithTasks') {
      const key = String((call.kind === 'createEpic' ? call.input : call.epic)?.epicKey);
      if (seenEpicKeys.has(key) || initial.epicKeys.has(key) || pending || !op.output.ok) {
        contested.add(key);
      }
      seenEpicKeys.add(key);
    }
    if (pending || !op.output.ok) continue;
    const value = op.output.value as Record<string, unknown>;
    switch (call.kind) {
      case 'createClient':
        if (!clientKey.has(value.id))
          clientKey.set(value.id, (value as unknown as Client).clientKey);
        break;
      case 'createEpic':
        epics.set(value.id, true);
        break;
      case 'createEpicWithTasks': {
        const made = value as { epic: { id: number }; tasks: { id: number }[] };
        epics.set(made.epic.id, true);
        for (const t of made.tasks) if (!taskEpic.has(t.id)) taskEpic.set(t.id, made.epic.id);
        break;
      }
      case 'createTask':
        if (!taskEpic.has(value.id)) taskEpic.set(value.id, Number(call.input.epicId));
        break;
      default:
        break;
    }
  }
  return { created: { taskEpic, epics, clientKey }, contested, pendingCreates, last, lastId };
}

function observedIds(op: TrackerOperation, entity: string): number[] {
  if (!op.output.ok) return [];
  const value = op.output.value as Record<string, unknown>;
  if (op.input.kind === 'createEpicWithTasks') {
    const made = value as { epic: { id: number }; tasks: { id: number }[] };
    return entity === 'epic' ? [made.epic.id] : made.tasks.map((t) => t.id);
  }
  return [value.id as number];
}

/** The ids a create was seen to take; placeholders when it never returned. */
function assignedIds(op: TrackerOperation): AssignedIds {
  if (op.response === Infinity || !op.output.ok) {
    const base = PLACEHOLDER_BASE + op.id * 64;
    return { client: base, epic: base, task: base };
  }
  // The first id of each entity the create takes (`idsTaken` > 0), as `observedIds` reads it.
  const value = op.output.value as Record<string, unknown>;
  const call = op.input;
  switch (call.kind) {
    case 'createClient':
      return { client: value.id as number };
    case 'createEpic':
      return { epic: value.id as number };
    case 'createTask':
      return { task: value.id as number };
    case 'createEpicWithTasks': {
      const made = value as { epic: { id: number }; tasks: { id: number }[] };
      const epic = made.epic.id;
      if (call.tasks.length === 0) return { epic };
      const task = made.tasks.map((t) => t.id)[0];
      return task === undefined ? { epic } : { epic, task };
    }
    default:
      return {};
  }
}

/** The start of an epic's projection: the epic and its tasks if they exist, and its clients. */
function epicStart(
  initial: TrackerState,
  epicId: number | undefined,
  clientIds: readonly number[],
): TrackerState {
  const epic = epicId === undefined ? undefined : initial.epics.get(epicId);
  if (epic === undefined && clientIds.length <= 1) {
    // The common case (an epic created during the round): no collection to build but one.
    const clients = new Map<number, Client>();
    for (const id of clientIds) clients.set(id, initial.clients.get(id) ?? placeholderClient(id));
    // Collections of its own, none shared: a replay may change them in place.
    return nextState(initialTrackerState(), { clients });
  }
  const clients = new Map<number, Client>();
  for (const id of [...clientIds, ...(epic ? [epic.clientId] : [])]) {
    clients.set(id, initial.clients.get(id) ?? placeholderClient(id));
  }
  return stateOf([...clients.values()], epic ? [epic] : [], epic ? tasksOf(initial, epic.id) : []);
}

/** A client the projection assumes exists (an epic of it was created; clients are never deleted). */
function placeholderClient(id: number): Client {
  return { id, clientKey: `#client ${id}`, name: '', status: 'active', priorityLevel: 5 };
}
