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
import type { Projection } from '../../engine/projections';
import type { TrackerSnapshot } from '../../../models/invariants';
import type { OpResult, TrackerOp } from '../../../models/operations';
import { stateOf } from '../../../models/state-from-snapshot';
import { initialTrackerState, tasksOf, type TrackerState } from '../../../models/tracker-state';
import type { Client } from '../../tracker';
import { dependencyClosure } from './dependencies';
import {
  clientKeyView,
  counterModel,
  counterQuickCheck,
  epicView,
  idsTaken,
  rowsModel,
  type AssignedIds,
  type ProjectedInput,
} from './projected-models';

export type TrackerOperation = Operation<TrackerOp, OpResult>;
export type ProjectedOperation = Operation<ProjectedInput, OpResult>;

export interface TrackerProjections {
  readonly projections: Projection<unknown, ProjectedInput, OpResult>[];
  /** Calls no projection judges (lists read everything; see docs/CHECKER.md). */
  readonly unchecked: number;
}

const EMPTY = initialTrackerState();
const ENTITIES = ['client', 'epic', 'task'] as const;

/** Placeholder ids for creates that never returned: far from any real id. */
const PLACEHOLDER_BASE = 1_000_000_000;

interface Group {
  readonly ops: ProjectedOperation[];
  readonly clientIds: Set<number>;
  hasPendingCreate: boolean;
}

export function trackerProjections(
  history: readonly TrackerOperation[],
  initial: TrackerState,
  final: TrackerSnapshot | undefined,
): TrackerProjections {
  const created = observedCreations(history, initial);
  const contested = contestedEpicKeys(history, initial);
  const pendingCreates = new Set<string>();
  for (const op of history) {
    if (op.response !== Infinity) continue;
    for (const entity of ENTITIES) {
      if (idsTaken(op.input, entity) > 0) pendingCreates.add(entity);
    }
  }
  const epics = new Map<number, Group>();
  const clientKeys = new Map<string, Group>();
  const epicKeys = new Map<string, Group>();
  const counters = new Map<string, ProjectedOperation[]>(
    ['client', 'epic', 'task'].map((entity) => [entity, []]),
  );
  const group = <K>(map: Map<K, Group>, key: K): Group => {
    let found = map.get(key);
    if (found === undefined) {
      found = { ops: [], clientIds: new Set(), hasPendingCreate: false };
      map.set(key, found);
    }
    return found;
  };
  let unchecked = 0;
  const last = history.reduce(
    (t, op) => Math.max(t, op.response === Infinity ? op.invoke : op.response),
    0,
  );

  for (const op of history) {
    const pending = op.response === Infinity;
    const assigned = assignedIds(op);
    const call = op.input;
    // Counters: every successful (or maybe successful) create takes ids.
    for (const entity of ENTITIES) {
      if (idsTaken(call, entity) === 0 || (!pending && !op.output.ok)) continue;
      const ids = pending ? [] : observedIds(op, entity);
      counters.get(entity)!.push(projectedOp(op, { call }, { ok: true, value: ids }));
    }
    switch (call.kind) {
      case 'createClient': {
        const g = group(clientKeys, String(call.input?.clientKey));
        g.ops.push(projectedOp(op, { call, assigned }));
        g.hasPendingCreate ||= pending;
        break;
      }
      case 'createEpic':
      case 'createEpicWithTasks': {
        const input = call.kind === 'createEpic' ? call.input : call.epic;
        const epicId = pending || !op.output.ok ? undefined : assigned.epic;
        if (epicId !== undefined) {
          const g = group(epics, epicId);
          g.ops.push(projectedOp(op, { call, assigned }));
          g.clientIds.add(Number(input?.clientId));
        }
        const key = String(input?.epicKey);
        const keyFailure = !op.output?.ok && op.output?.field === 'epicKey';
        if (pending || keyFailure || contested.has(key)) {
          const g = group(epicKeys, key);
          g.ops.push(projectedOp(op, { call, assigned }));
          g.clientIds.add(Number(input?.clientId));
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
          g.ops.push(projectedOp(op, { call, assigned }));
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
        if (epicId !== undefined) group(epics, epicId).ops.push(projectedOp(op, { call }));
        else if (pendingCreates.has('task')) unchecked += 1;
        else group(epics, -Math.abs(Number(taskId)) || 0).ops.push(projectedOp(op, { call }));
        break;
      }
      case 'getEpic':
      case 'getEpicAnalytics': {
        const epicId = Number(call.kind === 'getEpic' ? call.id : call.epicId);
        if (!created.epics.has(epicId) && pendingCreates.has('epic')) unchecked += 1;
        else group(epics, epicId).ops.push(projectedOp(op, { call }));
        break;
      }
      case 'getClient': {
        const key = created.clientKey.get(call.id);
        if (key !== undefined) group(clientKeys, key).ops.push(projectedOp(op, { call }));
        else if (pendingCreates.has('client')) unchecked += 1;
        else group(clientKeys, `#absent ${String(call.id)}`).ops.push(projectedOp(op, { call }));
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
  const finalOp = (input: ProjectedInput, value: unknown): ProjectedOperation => ({
    id: -1,
    worker: -1,
    input,
    output: { ok: true, value },
    invoke: last + 1,
    response: last + 1,
  });
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
  let nextFinalId = history.reduce((m, op) => Math.max(m, op.id), 0) + 1;
  const withFinal = (g: Group, value: unknown): ProjectedOperation[] => {
    if (final === undefined || g.hasPendingCreate) return g.ops;
    return [...g.ops, { ...finalOp({ call: { kind: 'finalState' } }, value), id: nextFinalId++ }];
  };

  const projections: Projection<unknown, ProjectedInput, OpResult>[] = [];
  const finalState =
    final === undefined ? undefined : stateOf(final.clients, final.epics, final.tasks);
  for (const [epicId, g] of epics) {
    const view = epicView(epicId);
    const observed = finalState === undefined ? undefined : view(finalState);
    projections.push({
      name: epicId > 0 ? `epic ${epicId}` : `task ${-epicId} (never created)`,
      model: rowsModel(
        epicStart(initial, epicId, g.clientIds),
        epicId > 0 ? view : undefined,
      ) as never,
      ops: epicId > 0 ? withFinal(g, observed) : g.ops,
      closure: dependencyClosure(g.ops),
    });
  }
  const initialClients = new Map([...initial.clients.values()].map((c) => [c.clientKey, c]));
  for (const [key, g] of clientKeys) {
    const view = clientKeyView(key);
    const observed = finalState === undefined ? undefined : view(finalState);
    const holder = initialClients.get(key);
    projections.push({
      name: `client key ${JSON.stringify(key)}`,
      model: rowsModel(stateOf(holder ? [holder] : [], [], []), view) as never,
      ops: withFinal(g, observed),
      closure: dependencyClosure(g.ops),
    });
  }
  for (const [key, g] of epicKeys) {
    const holder = initial.epicKeys.has(key);
    const start = epicStart(initial, undefined, g.clientIds);
    const state = holder ? { ...start, epicKeys: new Set([key]) } : start;
    projections.push({
      name: `epic key ${JSON.stringify(key)}`,
      model: rowsModel(state, undefined) as never,
      ops: g.ops,
    });
  }
  for (const [entity, ops] of counters) {
    const lastId = initial.lastIds[entity as 'client' | 'epic' | 'task'];
    projections.push({
      name: `${entity} ids`,
      model: counterModel(entity, lastId) as never,
      ops,
      quickCheck: counterQuickCheck(entity, lastId) as never,
    });
  }
  return { projections, unchecked };
}

/**
 * Epic keys worth a projection: wanted by two creations, refused, wanted by a creation that never
 * returned, or already held. One creation that got a key nobody held cannot conflict.
 */
function contestedEpicKeys(
  history: readonly TrackerOperation[],
  initial: TrackerState,
): Set<string> {
  const seen = new Set<string>();
  const contested = new Set<string>();
  for (const op of history) {
    const call = op.input;
    if (call.kind !== 'createEpic' && call.kind !== 'createEpicWithTasks') continue;
    const key = String((call.kind === 'createEpic' ? call.input : call.epic)?.epicKey);
    if (seen.has(key) || initial.epicKeys.has(key) || op.response === Infinity || !op.output.ok) {
      contested.add(key);
    }
    seen.add(key);
  }
  return contested;
}

/** Ids each successful create was seen to take, and where each task and client id belongs. */
function observedCreations(history: readonly TrackerOperation[], initial: TrackerState) {
  const taskEpic = new Map<unknown, number>(
    [...initial.tasks.values()].map((t) => [t.id, t.epicId]),
  );
  const epics = new Set<number>(initial.epics.keys());
  const clientKey = new Map<unknown, string>(
    [...initial.clients.values()].map((c) => [c.id, c.clientKey]),
  );
  for (const op of history) {
    if (op.response === Infinity || !op.output.ok) continue;
    const value = op.output.value as Record<string, unknown>;
    switch (op.input.kind) {
      case 'createClient':
        if (!clientKey.has(value.id))
          clientKey.set(value.id, (value as unknown as Client).clientKey);
        break;
      case 'createEpic':
        epics.add(value.id as number);
        break;
      case 'createEpicWithTasks': {
        const made = value as { epic: { id: number }; tasks: { id: number }[] };
        epics.add(made.epic.id);
        for (const t of made.tasks) if (!taskEpic.has(t.id)) taskEpic.set(t.id, made.epic.id);
        break;
      }
      case 'createTask':
        if (!taskEpic.has(value.id)) taskEpic.set(value.id, Number(op.input.input.epicId));
        break;
      default:
        break;
    }
  }
  return { taskEpic, epics, clientKey };
}

/** The call as one projection sees it (its own input, and for counters its own output). */
function projectedOp(
  op: TrackerOperation,
  input: ProjectedInput,
  output: OpResult = op.output,
): ProjectedOperation {
  return { ...op, input, output };
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
  const ids: { client?: number; epic?: number; task?: number } = {};
  for (const entity of ENTITIES) {
    const id = idsTaken(op.input, entity) > 0 ? observedIds(op, entity)[0] : undefined;
    if (id !== undefined) ids[entity] = id;
  }
  return ids;
}

/** The start of an epic's projection: the epic and its tasks if they exist, and its clients. */
function epicStart(
  initial: TrackerState,
  epicId: number | undefined,
  clientIds: ReadonlySet<number>,
): TrackerState {
  const epic = epicId === undefined ? undefined : initial.epics.get(epicId);
  if (epic === undefined && clientIds.size <= 1) {
    // The common case (an epic created during the round): no collection to build but one.
    const clients = new Map<number, Client>();
    for (const id of clientIds) clients.set(id, initial.clients.get(id) ?? placeholderClient(id));
    return { ...EMPTY, clients };
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
