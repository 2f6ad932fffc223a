/**
 * A model state rebuilt from database contents read back through the store: how a long parallel
 * run starts each round's check from the contents the previous round ended with (the previous
 * round's check proved those contents explainable by some ordering of its calls).
 */
import type { Client, Epic, Task } from '../src/tracker';
import type { TrackerSnapshot } from './invariants';
import { taskKeyOf, type TrackerState } from './tracker-state';

export function stateFromSnapshot(snapshot: TrackerSnapshot): TrackerState {
  return stateOf(snapshot.clients, snapshot.epics, snapshot.tasks);
}

/** A state holding exactly these rows (tasks in id order within their epic). */
export function stateOf(
  clients: readonly Client[],
  epics: readonly Epic[],
  tasks: readonly Task[],
): TrackerState {
  const tasksOfEpic = new Map<number, number[]>(epics.map((epic) => [epic.id, []]));
  for (const task of [...tasks].sort((a, b) => a.id - b.id)) {
    tasksOfEpic.get(task.epicId)?.push(task.id);
  }
  const maxId = (rows: readonly { id: number }[]) => rows.reduce((m, r) => Math.max(m, r.id), 0);
  return {
    clients: new Map(clients.map((c) => [c.id, c])),
    epics: new Map(epics.map((e) => [e.id, e])),
    tasks: new Map(tasks.map((t) => [t.id, t])),
    tasksOfEpic,
    clientKeys: new Set(clients.map((c) => c.clientKey)),
    epicKeys: new Set(epics.map((e) => e.epicKey)),
    taskKeys: new Set(tasks.map((t) => taskKeyOf(t.epicId, t.taskKey))),
    lastIds: { client: maxId(clients), epic: maxId(epics), task: maxId(tasks) },
  };
}
