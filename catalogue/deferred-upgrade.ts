/**
 * Planted bug: completeTask reads in a BEGIN DEFERRED transaction and upgrades to a write on its
 * first UPDATE. When the upgrade fails with SQLITE_BUSY_SNAPSHOT (another connection committed
 * since the read), it "retries the write": rolls back, begins again and replays only the write
 * statements with the values it had already read, so it writes from a stale snapshot: the
 * other completion's points are lost (and a task completed meanwhile is completed twice).
 *
 * Shows when interleaved: worker A runs `beginRead`, `taskById`, `epicPointsById` and parks at
 * `setTaskStatus`; worker B completes another task of the same epic and commits; A resumes, its
 * upgrade fails with SQLITE_BUSY_SNAPSHOT, and its replayed `setPointsEarned` drops B's points.
 */
import { SqliteTracker, type Task } from '../src/tracker';
import { parseId } from '../src/tracker/contract/schemas';
import { transition } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class DeferredUpgradeTracker extends SqliteTracker {
  override async completeTask(taskId: number): Promise<Task> {
    const id = parseId(taskId, 'taskId');
    // Hand-rolled transaction: DEFERRED, so the write lock is only taken when it is needed.
    return this.single(async (s) => {
      await s.run('beginRead');
      const task = await this.requireTask(s, id);
      if (task.status !== 'in_progress') throw transition(task, 'complete', 'in_progress');
      const epic = await s.get<{ pointsEarned: number }>('epicPointsById', [task.epicId]);
      const pointsEarned = (epic?.pointsEarned ?? 0) + task.storyPoints;
      const writeAll = async (): Promise<Task> => {
        const completed = await this.setStatus(s, id, 'completed');
        await s.run('setPointsEarned', { epicId: task.epicId, pointsEarned });
        await s.run('refreshEpicStatus', [task.epicId]);
        return completed;
      };
      let completed: Task;
      try {
        completed = await writeAll();
      } catch (error) {
        if (!isBusySnapshot(error)) throw error;
        // BUG: the reads above came from the snapshot that just went stale; only the writes are
        // retried, with the values read from it.
        await s.run('rollback');
        await s.run('beginWrite');
        completed = await writeAll();
      }
      await s.run('commit');
      return completed;
    });
  }
}

function isBusySnapshot(error: unknown): boolean {
  return (
    error !== null &&
    typeof error === 'object' &&
    'code' in error &&
    (error as { code: unknown }).code === 'SQLITE_BUSY_SNAPSHOT'
  );
}

export const createStore: StoreFactory = (options) =>
  new DeferredUpgradeTracker(trackerOptions(options));
