/**
 * Planted bug: getEpic and getEpicAnalytics are served from a per-instance read cache (bounded,
 * least recently used first out) that only this instance's own writes invalidate. Writes made
 * through another connection (another worker, process or server) never evict anything, so this
 * instance keeps returning the epic as it was when first read: another worker's start or
 * completion stays invisible to its reads for as long as the entry lives.
 *
 * Shows when interleaved at call level: worker A reads an epic (cached), worker B changes it
 * (startTask, completeTask, createTask), A reads it again and gets the old value, running no
 * statement at all.
 */
import {
  SqliteTracker,
  type Epic,
  type EpicAnalytics,
  type EpicWithTasks,
  type NewEpic,
  type NewTask,
  type NewTaskOfEpic,
  type Task,
} from '../src/tracker';
import { parseId } from '../src/tracker/contract/schemas';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

/** Entries per cache: enough for a dashboard's worth of epics. */
export const CACHE_LIMIT = 256;

/** A Map in recency order: a hit moves the entry to the back, the front is evicted first. */
class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export class StaleReadCacheTracker extends SqliteTracker {
  private readonly epics = new LruCache<number, Epic>(CACHE_LIMIT);
  private readonly analytics = new LruCache<number, EpicAnalytics>(CACHE_LIMIT);

  /** Entries held (epics and analytics), for tests of the bound. */
  get cachedEntries(): number {
    return this.epics.size + this.analytics.size;
  }

  override async getEpic(id: number): Promise<Epic> {
    const epicId = parseId(id, 'id');
    const cached = this.epics.get(epicId);
    if (cached !== undefined) return cached;
    const epic = await super.getEpic(epicId);
    this.epics.set(epicId, epic);
    return epic;
  }

  override async getEpicAnalytics(epicId: number): Promise<EpicAnalytics> {
    const id = parseId(epicId, 'epicId');
    const cached = this.analytics.get(id);
    if (cached !== undefined) return cached;
    const analytics = await super.getEpicAnalytics(id);
    this.analytics.set(id, analytics);
    return analytics;
  }

  // BUG: invalidation below covers this instance's writes only; nothing hears about the writes
  // of other connections to the same database.

  override async createEpic(input: NewEpic): Promise<Epic> {
    return this.forgetting(await super.createEpic(input), (epic) => epic.id);
  }

  override async createEpicWithTasks(
    epic: NewEpic,
    tasks: readonly NewTaskOfEpic[],
  ): Promise<EpicWithTasks> {
    return this.forgetting(await super.createEpicWithTasks(epic, tasks), (made) => made.epic.id);
  }

  override async createTask(input: NewTask): Promise<Task> {
    return this.forgetting(await super.createTask(input), (task) => task.epicId);
  }

  override async startTask(taskId: number): Promise<Task> {
    return this.forgetting(await super.startTask(taskId), (task) => task.epicId);
  }

  override async advanceTaskPhase(taskId: number): Promise<Task> {
    return this.forgetting(await super.advanceTaskPhase(taskId), (task) => task.epicId);
  }

  override async completeTask(taskId: number): Promise<Task> {
    return this.forgetting(await super.completeTask(taskId), (task) => task.epicId);
  }

  private forgetting<T>(result: T, epicOf: (result: T) => number): T {
    const epicId = epicOf(result);
    this.epics.delete(epicId);
    this.analytics.delete(epicId);
    return result;
  }
}

export const createStore: StoreFactory = (options) =>
  new StaleReadCacheTracker(trackerOptions(options));
