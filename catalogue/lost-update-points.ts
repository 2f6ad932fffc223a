/**
 * Planted bug: completeTask reads the epic's pointsEarned in its own autocommit statement, then
 * writes `pointsEarned = readValue + storyPoints` in a later write transaction. The status check
 * is repeated inside that transaction, but the running total is not: it can be stale by then.
 * Two completions of different tasks of one epic that both read before either writes lose one
 * task's points.
 *
 * Shows when interleaved: worker A runs `taskById`, `epicPointsById` and parks at `beginWrite`;
 * worker B completes another task of the same epic; A resumes and overwrites B's total.
 */
import { SqliteTracker, type Task } from '../src/tracker';
import { parseId } from '../src/tracker/contract/schemas';
import { transition } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class LostUpdatePointsTracker extends SqliteTracker {
  override async completeTask(taskId: number): Promise<Task> {
    const id = parseId(taskId, 'taskId');
    // Load the task and its epic's total first, outside the write (keeps the lock short)...
    const { task, pointsEarned } = await this.single(async (s) => {
      const found = await this.requireTask(s, id);
      const epic = await s.get<{ pointsEarned: number }>('epicPointsById', [found.epicId]);
      return { task: found, pointsEarned: epic?.pointsEarned ?? 0 };
    });
    return this.write(async (s) => {
      const current = await this.requireTask(s, id);
      if (current.status !== 'in_progress') throw transition(current, 'complete', 'in_progress');
      const completed = await this.setStatus(s, id, 'completed');
      // BUG: the total read above may be stale: another completion may have committed since.
      await s.run('setPointsEarned', {
        epicId: task.epicId,
        pointsEarned: pointsEarned + current.storyPoints,
      });
      await s.run('refreshEpicStatus', [task.epicId]);
      return completed;
    });
  }
}

export const createStore: StoreFactory = (options) =>
  new LostUpdatePointsTracker(trackerOptions(options));
