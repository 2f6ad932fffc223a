/**
 * One lane's stream of tracker calls, drawn from a seeded PRNG and a mix. Ids come from what
 * exists: the lane learns the highest client, epic and task ids from its own results (ids are
 * global, so its creates reveal what the other lanes created) and mostly picks among the most
 * recent ones, so lanes keep meeting on the same epics and tasks: that is where races show.
 */
import type { OpKind, OpResult, TrackerOp } from '../../../models/operations';
import type { Mix } from './mixes';
import { Random } from './random';

/** Ids picked among the newest this often; else uniformly among all known. */
const HOT_SHARE = 0.75;
const HOT_TASKS = 6;
const HOT_EPICS = 4;
/** Ids just past the newest known this often: a read racing another lane's create. */
const PROBE_SHARE = 0.1;
const TASK_TITLES = ['Failing test', 'Make it pass', 'Refactor'] as const;

export class OpStream {
  private readonly random: Random;
  private clientId: number | undefined;
  private maxClient = 0;
  private maxEpic = 0;
  private maxTask = 0;
  private counter = 0;

  constructor(
    seed: number,
    /** The logical worker (lane) number: keys carry it, so lanes never collide by accident. */
    private readonly worker: number,
    private readonly mix: Mix,
  ) {
    this.random = new Random(seed);
  }

  next(): TrackerOp {
    this.counter += 1;
    if (this.clientId === undefined) return this.createClient(`c-${this.worker}`);
    const kind: OpKind =
      this.maxEpic === 0 ? 'createEpicWithTasks' : this.random.weighted(this.mix);
    switch (kind) {
      case 'createClient':
        return this.createClient(`c-${this.worker}-${this.counter}`);
      case 'createEpic':
        return { kind, input: this.newEpic() };
      case 'createEpicWithTasks':
        return {
          kind,
          epic: this.newEpic(),
          tasks: TASK_TITLES.map((title, k) => ({
            taskKey: `T-${k + 1}`,
            title,
            storyPoints: this.random.int(1, 8),
          })),
        };
      case 'createTask':
        return {
          kind,
          input: {
            epicId: this.pick(this.maxEpic, HOT_EPICS),
            taskKey: `T-${this.worker}-${this.counter}`,
            title: 'Extra task',
            storyPoints: this.random.int(1, 5),
          },
        };
      case 'startTask':
      case 'advanceTaskPhase':
      case 'completeTask':
        return { kind, taskId: this.pick(this.maxTask, HOT_TASKS) };
      case 'getTask':
        return { kind, id: this.pick(this.maxTask, HOT_TASKS) };
      case 'getEpic':
        return { kind, id: this.pick(this.maxEpic, HOT_EPICS) };
      case 'getClient':
        return { kind, id: this.pick(this.maxClient, 2) };
      case 'getEpicAnalytics':
        return { kind, epicId: this.pick(this.maxEpic, HOT_EPICS) };
      case 'listClients':
        return { kind };
      case 'listEpics':
        return { kind, filter: { clientId: this.clientId } };
      case 'listTasks':
        return { kind, filter: { epicId: this.pick(this.maxEpic, HOT_EPICS) } };
    }
  }

  /** Learns ids (and its own client) from a result. */
  learn(op: TrackerOp, result: OpResult): void {
    if (!result.ok) return;
    const value = result.value as Record<string, unknown> | null;
    if (value === null || typeof value !== 'object') return;
    switch (op.kind) {
      case 'createClient':
        this.clientId ??= value.id as number;
        this.maxClient = Math.max(this.maxClient, value.id as number);
        break;
      case 'createEpic':
        this.maxEpic = Math.max(this.maxEpic, value.id as number);
        break;
      case 'createEpicWithTasks': {
        const made = value as { epic: { id: number }; tasks: readonly { id: number }[] };
        this.maxEpic = Math.max(this.maxEpic, made.epic.id);
        for (const task of made.tasks) this.maxTask = Math.max(this.maxTask, task.id);
        break;
      }
      case 'createTask':
        this.maxTask = Math.max(this.maxTask, value.id as number);
        break;
      case 'getEpic':
        this.maxEpic = Math.max(this.maxEpic, value.id as number);
        break;
      case 'getEpicAnalytics':
        this.maxEpic = Math.max(this.maxEpic, value.epicId as number);
        break;
      case 'getTask':
        this.maxTask = Math.max(this.maxTask, value.id as number);
        this.maxEpic = Math.max(this.maxEpic, value.epicId as number);
        break;
      case 'getClient':
        this.maxClient = Math.max(this.maxClient, value.id as number);
        break;
      default:
        break;
    }
  }

  private createClient(clientKey: string): TrackerOp {
    return { kind: 'createClient', input: { clientKey, name: `Client of lane ${this.worker}` } };
  }

  private newEpic() {
    return {
      clientId: this.clientId ?? 1,
      epicKey: `E-${this.worker}-${this.counter}`,
      title: `Epic ${this.counter} of lane ${this.worker}`,
      pointsValue: this.random.int(0, 50),
    };
  }

  /** Mostly one of the `hot` newest ids, sometimes one just past them, else any in [1, max]. */
  private pick(max: number, hot: number): number {
    const draw = this.random.next();
    if (draw < PROBE_SHARE) return max + this.random.int(1, 3);
    if (max <= 0) return 1;
    if (draw < PROBE_SHARE + HOT_SHARE) return Math.max(1, max - this.random.int(0, hot - 1));
    return this.random.int(1, max);
  }
}
