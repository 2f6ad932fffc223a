/**
 * Tracker calls as plain data: what the commands generate, what workers run, what histories
 * record and what failures print. Inputs are `unknown`-friendly on purpose: hostile and
 * ill-typed values are part of what is generated.
 */
import type {
  ClientFilter,
  EpicFilter,
  NewClient,
  NewEpic,
  NewTask,
  NewTaskOfEpic,
  TaskFilter,
  TrackerErrorCode,
  TrackerStore,
} from '../src/tracker';
import { isTrackerError } from '../src/tracker';
import { formatLiteral } from './format-literal';

export type TrackerOp =
  | { readonly kind: 'createClient'; readonly input: NewClient }
  | { readonly kind: 'createEpic'; readonly input: NewEpic }
  | {
      readonly kind: 'createEpicWithTasks';
      readonly epic: NewEpic;
      readonly tasks: readonly NewTaskOfEpic[];
    }
  | { readonly kind: 'createTask'; readonly input: NewTask }
  | { readonly kind: 'startTask'; readonly taskId: number }
  | { readonly kind: 'advanceTaskPhase'; readonly taskId: number }
  | { readonly kind: 'completeTask'; readonly taskId: number }
  | { readonly kind: 'getClient'; readonly id: number }
  | { readonly kind: 'getEpic'; readonly id: number }
  | { readonly kind: 'getTask'; readonly id: number }
  | { readonly kind: 'listClients'; readonly filter?: ClientFilter }
  | { readonly kind: 'listEpics'; readonly filter?: EpicFilter }
  | { readonly kind: 'listTasks'; readonly filter?: TaskFilter }
  | { readonly kind: 'getEpicAnalytics'; readonly epicId: number };

export type OpKind = TrackerOp['kind'];

/** The outcome of a call as data: a value, or a typed error (code and field). */
export type OpResult =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly code: TrackerErrorCode | 'UNTYPED_ERROR';
      readonly field?: string;
    };

const WRITES: ReadonlySet<OpKind> = new Set([
  'createClient',
  'createEpic',
  'createEpicWithTasks',
  'createTask',
  'startTask',
  'advanceTaskPhase',
  'completeTask',
]);

export function isWrite(op: TrackerOp): boolean {
  return WRITES.has(op.kind);
}

export function isWriteKind(kind: OpKind): boolean {
  return WRITES.has(kind);
}

/** Calls the store; a typed error becomes data, any other throw becomes UNTYPED_ERROR. */
export async function applyToStore(store: TrackerStore, op: TrackerOp): Promise<OpResult> {
  try {
    return { ok: true, value: await callStore(store, op) };
  } catch (error) {
    if (isTrackerError(error)) {
      return error.field === undefined
        ? { ok: false, code: error.code }
        : { ok: false, code: error.code, field: error.field };
    }
    return { ok: false, code: 'UNTYPED_ERROR', field: String(error) };
  }
}

/** Calls the store as the operation says, without catching anything. */
export function callStore(store: TrackerStore, op: TrackerOp): Promise<unknown> {
  switch (op.kind) {
    case 'createClient':
      return store.createClient(op.input);
    case 'createEpic':
      return store.createEpic(op.input);
    case 'createEpicWithTasks':
      return store.createEpicWithTasks(op.epic, op.tasks);
    case 'createTask':
      return store.createTask(op.input);
    case 'startTask':
      return store.startTask(op.taskId);
    case 'advanceTaskPhase':
      return store.advanceTaskPhase(op.taskId);
    case 'completeTask':
      return store.completeTask(op.taskId);
    case 'getClient':
      return store.getClient(op.id);
    case 'getEpic':
      return store.getEpic(op.id);
    case 'getTask':
      return store.getTask(op.id);
    case 'listClients':
      return store.listClients(op.filter);
    case 'listEpics':
      return store.listEpics(op.filter);
    case 'listTasks':
      return store.listTasks(op.filter);
    case 'getEpicAnalytics':
      return store.getEpicAnalytics(op.epicId);
  }
}

/** The call as a person would write it: `store.completeTask(3)`. */
export function describeOp(op: TrackerOp): string {
  const args = (() => {
    switch (op.kind) {
      case 'createEpicWithTasks':
        return [op.epic, op.tasks];
      case 'createClient':
      case 'createEpic':
      case 'createTask':
        return [op.input];
      case 'startTask':
      case 'advanceTaskPhase':
      case 'completeTask':
        return [op.taskId];
      case 'getClient':
      case 'getEpic':
      case 'getTask':
        return [op.id];
      case 'getEpicAnalytics':
        return [op.epicId];
      case 'listClients':
      case 'listEpics':
      case 'listTasks':
        return op.filter === undefined ? [] : [op.filter];
    }
  })();
  return `store.${op.kind}(${args.map((arg) => formatLiteral(arg)).join(', ')})`;
}

export function describeResult(result: OpResult): string {
  if (!result.ok) {
    return result.field === undefined
      ? `throws ${result.code}`
      : `throws ${result.code} (${result.field})`;
  }
  return formatLiteral(result.value);
}

/** A one-line outcome: the id created, the error, or `ok`. */
export function summarizeResult(result: OpResult): string {
  if (!result.ok) return describeResult(result);
  const value = result.value;
  if (value !== null && typeof value === 'object') {
    if ('id' in value) return `ok (id ${String(value.id)})`;
    if ('epic' in value) return 'ok (epic and tasks)';
    if ('total' in value && 'data' in value && Array.isArray(value.data)) {
      return `ok (${value.data.length} of ${String(value.total)})`;
    }
    if ('epicId' in value) return 'ok (analytics)';
  }
  return 'ok';
}
