/**
 * Planted bug: createEpicWithTasks commits the epic in one transaction and then each task in a
 * transaction of its own, so the call is not atomic: a concurrent reader can see the new epic
 * with only some of its tasks (or none), which the contract ("a reader sees all of it or none")
 * forbids.
 *
 * Shows when interleaved: worker A parks at an `insertTask` after the epic's `commit`; worker B
 * reads (getEpicAnalytics, listTasks) and sees the epic short of tasks.
 */
import {
  SqliteTracker,
  type EpicWithTasks,
  type NewEpic,
  type NewTaskOfEpic,
  type Task,
} from '../src/tracker';
import {
  newEpicSchema,
  parseInput,
  tasksOfEpicSchema,
  type ValidNewEpic,
  type ValidNewTaskOfEpic,
} from '../src/tracker/contract/schemas';
import type { Session } from '../src/tracker/session';
import { duplicate } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class SplitEpicWithTasksTracker extends SqliteTracker {
  override async createEpicWithTasks(
    epicInput: NewEpic,
    tasksInput: readonly NewTaskOfEpic[],
  ): Promise<EpicWithTasks> {
    const epic = parseInput(newEpicSchema, epicInput, 'epic');
    const tasks = parseInput(tasksOfEpicSchema, tasksInput, 'tasks', true);
    const seen = new Set<string>();
    for (const [index, task] of tasks.entries()) {
      if (seen.has(task.taskKey)) throw duplicate(`tasks.${index}.taskKey`, task.taskKey);
      seen.add(task.taskKey);
    }
    return this.createInSteps(epic, tasks);
  }

  /** "Reuses createEpic and createTask": each step is its own short write transaction. */
  private async createInSteps(
    epic: ValidNewEpic,
    tasks: readonly ValidNewTaskOfEpic[],
  ): Promise<EpicWithTasks> {
    // BUG: the epic is committed (and visible) before any of its tasks exists.
    const created = await this.write((s: Session) => this.insertEpic(s, epic));
    const createdTasks: Task[] = [];
    for (const task of tasks) {
      createdTasks.push(
        await this.write((s: Session) => this.insertTask(s, { ...task, epicId: created.id })),
      );
    }
    return { epic: created, tasks: createdTasks };
  }
}

export const createStore: StoreFactory = (options) =>
  new SplitEpicWithTasksTracker(trackerOptions(options));
