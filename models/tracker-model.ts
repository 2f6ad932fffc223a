/**
 * The reference model of the tracker: a pure step function from (state, operation) to
 * (result, next state). It uses the tracker's contract (types, input schemas, domain rules) but
 * none of its storage code, so it judges any store, ours or a user's.
 */
import { parseDuration } from '../src/duration';
import {
  clientFilterSchema,
  epicFilterSchema,
  newClientSchema,
  newEpicSchema,
  newTaskSchema,
  parseId,
  parseInput,
  taskFilterSchema,
  tasksOfEpicSchema,
  type ValidNewEpic,
  type ValidNewTaskOfEpic,
} from '../src/tracker/contract/schemas';
import {
  epicStatusFor,
  nextPhase,
  progressPercentage,
  roundToOneDecimal,
} from '../src/tracker/contract/rules';
import type { Epic, EpicAnalytics, Page, Task, TaskStatus } from '../src/tracker';
import { TASK_STATUSES, TDD_PHASES, isTrackerError, type TrackerErrorCode } from '../src/tracker';
import type { OpResult, TrackerOp } from './operations';
import { epicWith, newClient, newEpic, newTask, taskWith } from './rows';
import {
  changeable,
  changeableSet,
  nextState,
  taskKeyOf,
  tasksOf,
  withEntry,
  withLastId,
  withMember,
  type TrackerState,
} from './tracker-state';

export interface StepResult {
  readonly result: OpResult;
  readonly state: TrackerState;
}

/**
 * How the model refuses a call on its own (not found, taken, invalid transition): returned, not
 * thrown. Throwing was most of a refused step's cost (V8 records where each throw happened), and
 * the checker replays thousands of refused calls; only bad input still throws, as the contract's
 * parser does for the store.
 */
class Refusal {
  constructor(
    readonly code: TrackerErrorCode,
    readonly field: string,
  ) {}
}

/** Applies `op` to `state`. Never mutates `state`; a refused call returns `state` unchanged. */
export function stepTracker(state: TrackerState, op: TrackerOp): StepResult {
  try {
    return apply(state, op);
  } catch (error) {
    if (!isTrackerError(error)) throw error;
    const result: OpResult =
      error.field === undefined
        ? { ok: false, code: error.code }
        : { ok: false, code: error.code, field: error.field };
    return { result, state };
  }
}

function ok(value: unknown, state: TrackerState): StepResult {
  return { result: { ok: true, value }, state };
}

function refused(refusal: Refusal, state: TrackerState): StepResult {
  return { result: { ok: false, code: refusal.code, field: refusal.field }, state };
}

/** The row, or the call's refusal when there is none. */
function found<T>(
  map: ReadonlyMap<number, T>,
  id: number,
  what: string,
  state: TrackerState,
): StepResult {
  const row = map.get(id);
  return row === undefined ? refused(notFound(what), state) : ok(row, state);
}

function apply(state: TrackerState, op: TrackerOp): StepResult {
  switch (op.kind) {
    case 'createClient': {
      const input = parseInput(newClientSchema, op.input, 'input');
      if (state.clientKeys.has(input.clientKey)) return refused(duplicate('clientKey'), state);
      const client = newClient(state.lastIds.client + 1, input);
      return ok(
        client,
        nextState(state, {
          clients: withEntry(state.clients, client.id, client),
          clientKeys: withMember(state.clientKeys, client.clientKey),
          lastIds: withLastId(state.lastIds, 'client', client.id),
        }),
      );
    }
    case 'createEpic': {
      const input = parseInput(newEpicSchema, op.input, 'input');
      const refusal = epicRefusal(state, input);
      if (refusal !== undefined) return refused(refusal, state);
      const next = addEpic(state, input);
      return ok(next.epics.get(next.lastIds.epic), next);
    }
    case 'createEpicWithTasks': {
      const epicInput = parseInput(newEpicSchema, op.epic, 'epic');
      const tasksInput = parseInput(tasksOfEpicSchema, op.tasks, 'tasks', true);
      for (let index = 0; index < tasksInput.length; index += 1) {
        const key = tasksInput[index]!.taskKey;
        if (tasksInput.findIndex((other) => other.taskKey === key) !== index) {
          return refused(duplicate(`tasks.${index}.taskKey`), state);
        }
      }
      // Every refusal before any change (see inPlace): the epic's, then its tasks'.
      const epicId = state.lastIds.epic + 1;
      const refusal = epicRefusal(state, epicInput) ?? taskKeyRefusal(state, epicId, tasksInput);
      if (refusal !== undefined) return refused(refusal, state);
      const next = addTasks(addEpic(state, epicInput), epicId, tasksInput);
      return ok({ epic: next.epics.get(epicId), tasks: tasksOf(next, epicId) }, next);
    }
    case 'createTask': {
      const { epicId, ...task } = parseInput(newTaskSchema, op.input, 'input');
      if (!state.epics.has(epicId)) return refused(notFound('epic'), state);
      const refusal = taskKeyRefusal(state, epicId, [task]);
      if (refusal !== undefined) return refused(refusal, state);
      const next = refreshEpic(addTasks(state, epicId, [task]), epicId);
      return ok(next.tasks.get(next.lastIds.task), next);
    }
    case 'startTask':
      return transition(state, op.taskId, 'todo', (task) =>
        taskWith(task, { status: 'in_progress' }),
      );
    case 'advanceTaskPhase':
      return transition(state, op.taskId, 'in_progress', (task) => {
        const phase = nextPhase(task.tddPhase);
        if (phase === undefined) return new Refusal('INVALID_TRANSITION', 'taskId');
        return taskWith(task, { tddPhase: phase });
      });
    case 'completeTask':
      return transition(state, op.taskId, 'in_progress', (task) =>
        taskWith(task, { status: 'completed' }),
      );
    case 'getClient':
      return found(state.clients, parseId(op.id, 'id'), 'client', state);
    case 'getEpic':
      return found(state.epics, parseId(op.id, 'id'), 'epic', state);
    case 'getTask':
      return found(state.tasks, parseId(op.id, 'id'), 'task', state);
    case 'listClients': {
      const f = parseInput(clientFilterSchema, op.filter, 'filter');
      const rows = [...state.clients.values()].filter(
        (c) => f.status === undefined || c.status === f.status,
      );
      return ok(page(rows, f), state);
    }
    case 'listEpics': {
      const f = parseInput(epicFilterSchema, op.filter, 'filter');
      const rows = [...state.epics.values()].filter(
        (e) =>
          (f.clientId === undefined || e.clientId === f.clientId) &&
          (f.status === undefined || e.status === f.status),
      );
      return ok(page(rows, f), state);
    }
    case 'listTasks': {
      const f = parseInput(taskFilterSchema, op.filter, 'filter');
      const rows = [...state.tasks.values()].filter(
        (t) =>
          (f.epicId === undefined || t.epicId === f.epicId) &&
          (f.status === undefined || t.status === f.status) &&
          (f.tddPhase === undefined || t.tddPhase === f.tddPhase),
      );
      return ok(page(rows, f), state);
    }
    case 'getEpicAnalytics': {
      const epic = state.epics.get(parseId(op.epicId, 'epicId'));
      if (epic === undefined) return refused(notFound('epic'), state);
      return ok(analytics(state, epic), state);
    }
  }
}

function epicRefusal(state: TrackerState, input: ValidNewEpic): Refusal | undefined {
  if (!state.clients.has(input.clientId)) return notFound('client');
  if (state.epicKeys.has(input.epicKey)) return duplicate('epicKey');
  return undefined;
}

/** Adds an epic `epicRefusal` found nothing against. */
function addEpic(state: TrackerState, input: ValidNewEpic): TrackerState {
  const epic = newEpic(state.lastIds.epic + 1, input);
  return nextState(state, {
    epics: withEntry(state.epics, epic.id, epic),
    tasksOfEpic: withEntry(state.tasksOfEpic, epic.id, []),
    epicKeys: withMember(state.epicKeys, epic.epicKey),
    lastIds: withLastId(state.lastIds, 'epic', epic.id),
  });
}

/** A task key of `inputs` the epic has already, or that two of them share. */
function taskKeyRefusal(
  state: TrackerState,
  epicId: number,
  inputs: readonly ValidNewTaskOfEpic[],
): Refusal | undefined {
  const keys = inputs.map((input) => taskKeyOf(epicId, input.taskKey));
  const taken = keys.some((key, k) => state.taskKeys.has(key) || keys.indexOf(key) !== k);
  return taken ? duplicate('taskKey') : undefined;
}

/**
 * Adds tasks `taskKeyRefusal` found nothing against to one epic, copying each collection once
 * however many tasks there are.
 */
function addTasks(
  state: TrackerState,
  epicId: number,
  inputs: readonly ValidNewTaskOfEpic[],
): TrackerState {
  const tasks = changeable(state.tasks);
  const taskKeys = changeableSet(state.taskKeys);
  const ids = [...(state.tasksOfEpic.get(epicId) ?? [])];
  let lastId = state.lastIds.task;
  for (const input of inputs) {
    const key = taskKeyOf(epicId, input.taskKey);
    lastId += 1;
    tasks.set(lastId, newTask(lastId, epicId, input));
    taskKeys.add(key);
    ids.push(lastId);
  }
  return nextState(state, {
    tasks,
    tasksOfEpic: withEntry(state.tasksOfEpic, epicId, ids),
    taskKeys,
    lastIds: withLastId(state.lastIds, 'task', lastId),
  });
}

function transition(
  state: TrackerState,
  rawId: unknown,
  required: TaskStatus,
  change: (task: Task) => Task | Refusal,
): StepResult {
  const id = parseId(rawId, 'taskId');
  const task = state.tasks.get(id);
  if (task === undefined) return refused(notFound('task'), state);
  if (task.status !== required) return refused(new Refusal('INVALID_TRANSITION', 'taskId'), state);
  const changed = change(task);
  if (changed instanceof Refusal) return refused(changed, state);
  let next = nextState(state, { tasks: withEntry(state.tasks, id, changed) });
  if (changed.status === 'completed') {
    const epic = next.epics.get(task.epicId) as Epic;
    const earned = epicWith(epic, { pointsEarned: epic.pointsEarned + task.storyPoints });
    next = nextState(next, { epics: withEntry(next.epics, epic.id, earned) });
  }
  return ok(changed, refreshEpic(next, task.epicId));
}

function refreshEpic(state: TrackerState, epicId: number): TrackerState {
  const epic = state.epics.get(epicId) as Epic;
  const status = epicStatusFor(tasksOf(state, epicId).map((t) => t.status));
  if (status === epic.status) return state;
  return nextState(state, { epics: withEntry(state.epics, epicId, epicWith(epic, { status })) });
}

function analytics(state: TrackerState, epic: Epic): EpicAnalytics {
  const tasks = tasksOf(state, epic.id);
  // One pass over the tasks: the checker steps this for every analytics call it replays.
  const tasksByStatus = zeroCounts(TASK_STATUSES);
  const tasksByPhase = zeroCounts(TDD_PHASES);
  let storyPointsTotal = 0;
  let storyPointsRemaining = 0;
  let estimateMinutesTotal = 0;
  let estimateMinutesRemaining = 0;
  for (const task of tasks) {
    tasksByStatus[task.status] += 1;
    tasksByPhase[task.tddPhase] += 1;
    storyPointsTotal += task.storyPoints;
    estimateMinutesTotal += task.estimateMinutes;
    if (task.status !== 'completed') {
      storyPointsRemaining += task.storyPoints;
      estimateMinutesRemaining += task.estimateMinutes;
    }
  }
  return {
    epicId: epic.id,
    status: epic.status,
    totalTasks: tasks.length,
    tasksByStatus,
    tasksByPhase,
    progressPercentage: progressPercentage(tasksByStatus.completed, tasks.length),
    pointsEarned: epic.pointsEarned,
    pointsValue: epic.pointsValue,
    storyPointsTotal,
    storyPointsRemaining,
    estimateMinutesTotal,
    estimateMinutesRemaining,
    durationDays:
      epic.durationText === null ? null : roundToOneDecimal(parseDuration(epic.durationText).days),
  };
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const counts = {} as Record<K, number>;
  for (const key of keys) counts[key] = 0;
  return counts;
}

function page<T extends { id: number }>(
  rows: T[],
  request: { page: number; pageSize: number },
): Page<T> {
  const sorted = rows.sort((a, b) => a.id - b.id);
  const start = (request.page - 1) * request.pageSize;
  return {
    data: sorted.slice(start, start + request.pageSize),
    total: sorted.length,
    page: request.page,
    pageSize: request.pageSize,
    totalPages: Math.ceil(sorted.length / request.pageSize),
  };
}

function notFound(what: string): Refusal {
  return new Refusal('NOT_FOUND', `${what}Id`);
}

function duplicate(field: string): Refusal {
  return new Refusal('DUPLICATE_KEY', field);
}
