/** The reference model's state: plain immutable data, replaced (never mutated) by each step. */
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

export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

export function withMember<T>(set: ReadonlySet<T>, member: T): ReadonlySet<T> {
  return new Set(set).add(member);
}
