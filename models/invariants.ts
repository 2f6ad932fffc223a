/**
 * The tracker's invariants, stated once: they must hold in the model and in the database after
 * every case, whatever the interleaving.
 */
import type { Client, Epic, Task, TrackerStore } from '../src/tracker';
import { epicStatusFor } from '../src/tracker/contract/rules';
import type { TrackerState } from './tracker-state';

export interface TrackerSnapshot {
  readonly clients: readonly Client[];
  readonly epics: readonly Epic[];
  readonly tasks: readonly Task[];
}

export function snapshotOfState(state: TrackerState): TrackerSnapshot {
  const byId = <T extends { id: number }>(rows: Iterable<T>) =>
    [...rows].sort((a, b) => a.id - b.id);
  return {
    clients: byId(state.clients.values()),
    epics: byId(state.epics.values()),
    tasks: byId(state.tasks.values()),
  };
}

/** Reads every row through the store's own API (so it works for any store). */
export async function snapshotOfStore(store: TrackerStore): Promise<TrackerSnapshot> {
  const pageSize = 100;
  const all = async <T>(
    list: (page: number) => Promise<{ data: readonly T[]; totalPages: number }>,
  ) => {
    const rows: T[] = [];
    for (let page = 1; ; page += 1) {
      const result = await list(page);
      rows.push(...result.data);
      if (page >= result.totalPages) return rows;
    }
  };
  return {
    clients: await all((page) => store.listClients({ page, pageSize })),
    epics: await all((page) => store.listEpics({ page, pageSize })),
    tasks: await all((page) => store.listTasks({ page, pageSize })),
  };
}

/** Every invariant that does not hold, as a sentence; empty when all hold. */
export function invariantViolations(snapshot: TrackerSnapshot): string[] {
  const problems: string[] = [];
  const clientIds = new Set(snapshot.clients.map((c) => c.id));
  const tasksByEpic = new Map<number, Task[]>();
  for (const task of snapshot.tasks) {
    tasksByEpic.set(task.epicId, [...(tasksByEpic.get(task.epicId) ?? []), task]);
  }
  const epicIds = new Set(snapshot.epics.map((e) => e.id));
  for (const task of snapshot.tasks) {
    if (!epicIds.has(task.epicId))
      problems.push(`task ${task.id} belongs to missing epic ${task.epicId}`);
  }
  for (const epic of snapshot.epics) {
    if (!clientIds.has(epic.clientId)) {
      problems.push(`epic ${epic.id} belongs to missing client ${epic.clientId}`);
    }
    const tasks = tasksByEpic.get(epic.id) ?? [];
    const earned = tasks
      .filter((t) => t.status === 'completed')
      .reduce((sum, t) => sum + t.storyPoints, 0);
    if (epic.pointsEarned !== earned) {
      problems.push(
        `epic ${epic.id} has pointsEarned ${epic.pointsEarned}, but its completed tasks carry ${earned}`,
      );
    }
    const status = epicStatusFor(tasks.map((t) => t.status));
    if (epic.status !== status) {
      problems.push(`epic ${epic.id} is ${epic.status}, but its tasks make it ${status}`);
    }
  }
  return problems;
}
