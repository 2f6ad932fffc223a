/**
 * The reference model's state: plain immutable data, replaced (never mutated) by each step,
 * except inside `inPlace` (see there).
 */
import type { Client, Epic, Task } from '../src/tracker';

export interface TrackerState {
  readonly clients: ReadonlyMap<number, Client>;
  readonly epics: ReadonlyMap<number, Epic>;
  readonly tasks: ReadonlyMap<number, Task>;
  /** Task ids of each epic, in creation order. */
  readonly tasksOfEpic: ReadonlyMap<number, readonly number[]>;
  readonly clientKeys: ReadonlySet<string>;
  readonly epicKeys: ReadonlySet<string>;
  /** `${epicId}:${taskKey}` of every task. */
  readonly taskKeys: ReadonlySet<string>;
  /** Ids are handed out like SQLite's AUTOINCREMENT: one past the last successful insert. */
  readonly lastIds: { readonly client: number; readonly epic: number; readonly task: number };
}

export function initialTrackerState(): TrackerState {
  return {
    clients: new Map(),
    epics: new Map(),
    tasks: new Map(),
    tasksOfEpic: new Map(),
    clientKeys: new Set(),
    epicKeys: new Set(),
    taskKeys: new Set(),
    lastIds: { client: 0, epic: 0, task: 0 },
  };
}

export function taskKeyOf(epicId: number, taskKey: string): string {
  return `${epicId}:${taskKey}`;
}

export function tasksOf(state: TrackerState, epicId: number): Task[] {
  return (state.tasksOfEpic.get(epicId) ?? []).map((id) => state.tasks.get(id) as Task);
}

let changingInPlace = false;

/**
 * Runs `replay` with the model's collections changed in place instead of copied at each step.
 * Only for a replay that owns every collection of its states (built fresh by its own `init`)
 * and never looks at a state again once it has stepped from it: the checker's replay of one
 * order. The model refuses a call before it changes anything, so a refused call leaves the
 * state as it was either way (properties/model-purity checks both agree).
 */
export function inPlace<T>(replay: () => T): T {
  const was = changingInPlace;
  changingInPlace = true;
  try {
    return replay();
  } finally {
    changingInPlace = was;
  }
}

/** The map to change: a copy, or the map itself inside `inPlace`. */
export function changeable<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  return changingInPlace ? (map as Map<K, V>) : new Map(map);
}

/** The set to change: a copy, or the set itself inside `inPlace`. */
export function changeableSet<T>(set: ReadonlySet<T>): Set<T> {
  return changingInPlace ? (set as Set<T>) : new Set(set);
}

export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return changeable(map).set(key, value);
}

export function withMember<T>(set: ReadonlySet<T>, member: T): ReadonlySet<T> {
  return changeableSet(set).add(member);
}
