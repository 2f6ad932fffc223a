/**
 * Planted bug: completeTask checks that the task is in_progress in one autocommit read, then
 * marks it completed and adds its story points in a separate write transaction that does not
 * check the status again (check-then-act). Two concurrent completions of the same task both pass
 * the check, both succeed, and the epic earns the task's points twice.
 *
 * Shows when interleaved: worker A runs `taskById` and parks at `beginWrite`; worker B completes
 * the same task; A resumes and completes it again.
 */
import { SqliteTracker, type Task } from '../src/tracker';
import { parseId } from '../src/tracker/contract/schemas';
import { transition } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class DoubleTransitionTracker extends SqliteTracker {
  override async completeTask(taskId: number): Promise<Task> {
    const id = parseId(taskId, 'taskId');
    // Validate first, without the write lock...
    const task = await this.single((s) => this.requireTask(s, id));
    if (task.status !== 'in_progress') throw transition(task, 'complete', 'in_progress');
    // ...then write. BUG: the status may have changed since the check above.
    return this.write(async (s) => {
      const completed = await this.setStatus(s, id, 'completed');
      await s.run('addPointsEarned', { points: task.storyPoints, epicId: task.epicId });
      await s.run('refreshEpicStatus', [task.epicId]);
      return completed;
    });
  }
}

export const createStore: StoreFactory = (options) =>
  new DoubleTransitionTracker(trackerOptions(options));
