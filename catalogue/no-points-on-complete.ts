/**
 * Planted bug: completing a task forgets to add its story points to the epic's pointsEarned.
 * Sequentially visible: any read of the epic after a completion shows it.
 */
import { SqliteTracker, type Task } from '../src/tracker';
import type { Session } from '../src/tracker/session';
import { transition } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class NoPointsOnCompleteTracker extends SqliteTracker {
  protected override async completeTaskIn(s: Session, id: number): Promise<Task> {
    const task = await this.requireTask(s, id);
    if (task.status !== 'in_progress') throw transition(task, 'complete', 'in_progress');
    const completed = await this.setStatus(s, id, 'completed');
    // BUG: no addPointsEarned: the epic never earns the task's points.
    await s.run('refreshEpicStatus', [task.epicId]);
    return completed;
  }
}

export const createStore: StoreFactory = (options) =>
  new NoPointsOnCompleteTracker(trackerOptions(options));
