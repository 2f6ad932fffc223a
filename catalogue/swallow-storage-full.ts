/**
 * Planted bug for the disk-full check (`stampede faults`), not for the engines of the catalogue
 * (it needs a capped file to show): createEpicWithTasks treats a task that fails to insert
 * with SQLITE_FULL as "best effort" and skips it, so the call succeeds and commits an epic
 * short of tasks, instead of failing with STORAGE_FULL and writing nothing.
 */
import {
  SqliteTracker,
  type EpicWithTasks,
  type StoreOptions,
  type Task,
  type TrackerStore,
} from '../src/tracker';
import type { ValidNewEpic, ValidNewTaskOfEpic } from '../src/tracker/contract/schemas';
import type { Session } from '../src/tracker/session';

export class SwallowStorageFullTracker extends SqliteTracker {
  protected override async createEpicWithTasksIn(
    s: Session,
    epic: ValidNewEpic,
    tasks: readonly ValidNewTaskOfEpic[],
  ): Promise<EpicWithTasks> {
    const created = await this.insertEpic(s, epic);
    const createdTasks: Task[] = [];
    for (const task of tasks) {
      try {
        createdTasks.push(await this.insertTask(s, { ...task, epicId: created.id }));
      } catch (error) {
        // BUG: a full disk is not a reason to fail the whole call, thinks this code.
        if ((error as { code?: unknown }).code !== 'SQLITE_FULL') throw error;
      }
    }
    return { epic: created, tasks: createdTasks };
  }
}

export function createStore(options: StoreOptions): TrackerStore {
  return new SwallowStorageFullTracker(options);
}
