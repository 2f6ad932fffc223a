/**
 * The tracker's data layer on better-sqlite3: validation first (nothing is written on bad
 * input), then one transaction per call through the statement seam.
 */
import {
  clientFilterSchema,
  epicFilterSchema,
  newClientSchema,
  newEpicSchema,
  newTaskSchema,
  parseId,
  parseInput,
  taskFilterSchema,
  tasksOfEpicSchema,
  type ValidNewClient,
  type ValidNewEpic,
  type ValidNewTask,
  type ValidNewTaskOfEpic,
} from './contract/schemas';
import { nextPhase, progressPercentage } from './contract/rules';
import { durationDaysOf } from './duration-days';
import { TrackerError } from './errors';
import { resolveStoreOptions, type ResolvedStoreOptions, type StoreOptions } from './options';
import { ConnectionPool } from './pool';
import type { Session } from './session';
import { STATEMENTS, type StatementCatalogue } from './sql/statements';
import { TransactionRunner } from './transaction';
import type {
  Client,
  ClientFilter,
  Epic,
  EpicAnalytics,
  EpicFilter,
  EpicWithTasks,
  HealthReport,
  NewClient,
  NewEpic,
  NewTask,
  NewTaskOfEpic,
  Page,
  PoolFigures,
  Task,
  TaskFilter,
  TrackerStore,
} from './types';

/** The row of the `epicAnalytics` statement, turned into EpicAnalytics by `analyticsFrom`. */
export interface AnalyticsRow {
  epicId: number;
  status: Epic['status'];
  pointsEarned: number;
  pointsValue: number;
  durationText: string | null;
  totalTasks: number;
  todo: number;
  inProgress: number;
  completed: number;
  analysis: number;
  red: number;
  green: number;
  refactor: number;
  review: number;
  storyPointsTotal: number;
  storyPointsRemaining: number;
  estimateMinutesTotal: number;
  estimateMinutesRemaining: number;
}

export class SqliteTracker implements TrackerStore {
  protected readonly options: ResolvedStoreOptions;
  protected readonly pool: ConnectionPool;
  protected readonly transactions: TransactionRunner;

  /** Variants (planted bugs) pass their own catalogue when they need other statements. */
  constructor(options: StoreOptions, catalogue: StatementCatalogue = STATEMENTS) {
    this.options = resolveStoreOptions(options, catalogue);
    this.pool = new ConnectionPool(this.options);
    this.transactions = new TransactionRunner(this.pool, this.options);
  }

  async createClient(input: NewClient): Promise<Client> {
    const client = parseInput(newClientSchema, input, 'input');
    return this.write((s) => this.createClientIn(s, client));
  }

  /** The body of createClient, inside its write transaction (variants override it). */
  protected async createClientIn(s: Session, client: ValidNewClient): Promise<Client> {
    if (await s.get('clientKeyTaken', [client.clientKey])) {
      throw duplicate('clientKey', client.clientKey);
    }
    return (await s.get<Client>('insertClient', client)) as Client;
  }

  async createEpic(input: NewEpic): Promise<Epic> {
    const epic = parseInput(newEpicSchema, input, 'input');
    return this.write((s) => this.createEpicIn(s, epic));
  }

  /** The body of createEpic, inside its write transaction (variants override it). */
  protected createEpicIn(s: Session, epic: ValidNewEpic): Promise<Epic> {
    return this.insertEpic(s, epic);
  }

  async createEpicWithTasks(
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
    return this.write((s) => this.createEpicWithTasksIn(s, epic, tasks));
  }

  /**
   * The body of createEpicWithTasks, inside its one write transaction (variants override it);
   * the task keys are already known to be distinct.
   */
  protected async createEpicWithTasksIn(
    s: Session,
    epic: ValidNewEpic,
    tasks: readonly ValidNewTaskOfEpic[],
  ): Promise<EpicWithTasks> {
    const created = await this.insertEpic(s, epic);
    const createdTasks: Task[] = [];
    for (const task of tasks) {
      createdTasks.push(await this.insertTask(s, { ...task, epicId: created.id }));
    }
    // New tasks are all `todo`, so the new epic stays `pending`: no status refresh needed.
    return { epic: created, tasks: createdTasks };
  }

  async createTask(input: NewTask): Promise<Task> {
    const task = parseInput(newTaskSchema, input, 'input');
    return this.write((s) => this.createTaskIn(s, task));
  }

  /** The body of createTask, inside its write transaction (variants override it). */
  protected async createTaskIn(s: Session, task: ValidNewTask): Promise<Task> {
    if (!(await s.get('epicExists', [task.epicId]))) throw notFound('epic', task.epicId);
    const created = await this.insertTask(s, task);
    await s.run('refreshEpicStatus', [task.epicId]);
    return created;
  }

  async startTask(taskId: number): Promise<Task> {
    const id = parseId(taskId, 'taskId');
    return this.write((s) => this.startTaskIn(s, id));
  }

  /** The body of startTask, inside its write transaction (variants override it). */
  protected async startTaskIn(s: Session, id: number): Promise<Task> {
    const task = await this.requireTask(s, id);
    if (task.status !== 'todo') throw transition(task, 'start', 'todo');
    const started = await this.setStatus(s, id, 'in_progress');
    await s.run('refreshEpicStatus', [task.epicId]);
    return started;
  }

  async advanceTaskPhase(taskId: number): Promise<Task> {
    const id = parseId(taskId, 'taskId');
    return this.write((s) => this.advanceTaskPhaseIn(s, id));
  }

  /** The body of advanceTaskPhase, inside its write transaction (variants override it). */
  protected async advanceTaskPhaseIn(s: Session, id: number): Promise<Task> {
    const task = await this.requireTask(s, id);
    if (task.status !== 'in_progress') throw transition(task, 'advance', 'in_progress');
    const phase = nextPhase(task.tddPhase);
    if (phase === undefined) {
      throw new TrackerError(
        'INVALID_TRANSITION',
        `Task ${id} is already in the last phase (${task.tddPhase})`,
        'taskId',
      );
    }
    return (await s.get<Task>('setTaskPhase', { id, tddPhase: phase })) as Task;
  }

  async completeTask(taskId: number): Promise<Task> {
    const id = parseId(taskId, 'taskId');
    return this.write((s) => this.completeTaskIn(s, id));
  }

  /** The body of completeTask, inside its write transaction (variants override it). */
  protected async completeTaskIn(s: Session, id: number): Promise<Task> {
    const task = await this.requireTask(s, id);
    if (task.status !== 'in_progress') throw transition(task, 'complete', 'in_progress');
    const completed = await this.setStatus(s, id, 'completed');
    await s.run('addPointsEarned', { points: task.storyPoints, epicId: task.epicId });
    await s.run('refreshEpicStatus', [task.epicId]);
    return completed;
  }

  async getClient(id: number): Promise<Client> {
    const clientId = parseId(id, 'id');
    return this.single(async (s) => {
      const client = await s.get<Client>('clientById', [clientId]);
      if (client === undefined) throw notFound('client', clientId);
      return client;
    });
  }

  async getEpic(id: number): Promise<Epic> {
    const epicId = parseId(id, 'id');
    return this.single((s) => this.requireEpic(s, epicId));
  }

  async getTask(id: number): Promise<Task> {
    const taskId = parseId(id, 'id');
    return this.single((s) => this.requireTask(s, taskId));
  }

  async listClients(filter?: ClientFilter): Promise<Page<Client>> {
    const f = parseInput(clientFilterSchema, filter, 'filter');
    return this.page<Client>('countClients', 'pageClients', f, { status: f.status ?? null });
  }

  async listEpics(filter?: EpicFilter): Promise<Page<Epic>> {
    const f = parseInput(epicFilterSchema, filter, 'filter');
    // With a client, statements that can use the client index (the generic ones scan).
    const [count, rows] =
      f.clientId === undefined
        ? ['countEpics', 'pageEpics']
        : ['countEpicsOfClient', 'pageEpicsOfClient'];
    return this.page<Epic>(count, rows, f, {
      clientId: f.clientId ?? null,
      status: f.status ?? null,
    });
  }

  async listTasks(filter?: TaskFilter): Promise<Page<Task>> {
    const f = parseInput(taskFilterSchema, filter, 'filter');
    const [count, rows] =
      f.epicId === undefined
        ? ['countTasks', 'pageTasks']
        : ['countTasksOfEpic', 'pageTasksOfEpic'];
    return this.page<Task>(count, rows, f, {
      epicId: f.epicId ?? null,
      status: f.status ?? null,
      tddPhase: f.tddPhase ?? null,
    });
  }

  async getEpicAnalytics(epicId: number): Promise<EpicAnalytics> {
    const id = parseId(epicId, 'epicId');
    return this.single(async (s) => {
      const row = await s.get<AnalyticsRow>('epicAnalytics', [id]);
      if (row === undefined) throw notFound('epic', id);
      return this.analyticsFrom(row);
    });
  }

  async healthCheck(): Promise<HealthReport> {
    return this.single(async (s) => {
      const journal = await s.get<{ journal_mode: string }>('journalMode');
      const integrity = await s.all<{ integrity_check: string }>('integrityCheck');
      const violations = await s.all('foreignKeyCheck');
      return {
        connected: s.db.open,
        journalMode: journal?.journal_mode ?? 'unknown',
        integrity: integrity.map((row) => row.integrity_check).join('; '),
        foreignKeyViolations: violations.length,
        pool: this.pool.figures(),
      };
    });
  }

  poolFigures(): PoolFigures {
    return this.pool.figures();
  }

  async close(): Promise<void> {
    this.pool.close();
  }

  protected write<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.transactions.run('write', work);
  }

  protected single<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.transactions.run('single', work);
  }

  /** Several reads in one deferred read transaction: one snapshot. */
  protected read<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.transactions.run('read', work);
  }

  protected async insertEpic(s: Session, epic: ValidNewEpic): Promise<Epic> {
    if (!(await s.get('clientExists', [epic.clientId]))) throw notFound('client', epic.clientId);
    if (await s.get('epicKeyTaken', [epic.epicKey])) throw duplicate('epicKey', epic.epicKey);
    return (await s.get<Epic>('insertEpic', epic)) as Epic;
  }

  protected async insertTask(s: Session, task: ValidNewTask): Promise<Task> {
    if (await s.get('taskKeyTaken', [task.epicId, task.taskKey])) {
      throw duplicate('taskKey', task.taskKey);
    }
    return (await s.get<Task>('insertTask', task)) as Task;
  }

  protected async requireTask(s: Session, id: number): Promise<Task> {
    const task = await s.get<Task>('taskById', [id]);
    if (task === undefined) throw notFound('task', id);
    return task;
  }

  protected async requireEpic(s: Session, id: number): Promise<Epic> {
    const epic = await s.get<Epic>('epicById', [id]);
    if (epic === undefined) throw notFound('epic', id);
    return epic;
  }

  protected async setStatus(s: Session, id: number, status: Task['status']): Promise<Task> {
    return (await s.get<Task>('setTaskStatus', { id, status })) as Task;
  }

  /** One page of a list: `countStatement` gives the total, `pageStatement` the rows. */
  protected page<T>(
    countStatement: string,
    pageStatement: string,
    request: { page: number; pageSize: number },
    filter: Record<string, unknown>,
  ): Promise<Page<T>> {
    const { page, pageSize } = request;
    // Count and rows in one read transaction, so `total` and `data` describe one snapshot.
    return this.read(async (s) => {
      const count = await s.get<{ total: number }>(countStatement, filter);
      const total = count?.total ?? 0;
      const offset = (page - 1) * pageSize;
      const data =
        offset >= total
          ? []
          : await s.all<T>(pageStatement, { ...filter, limit: pageSize, offset });
      return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
    });
  }

  /** The analytics of an epic from its `epicAnalytics` row (variants override it). */
  protected analyticsFrom(row: AnalyticsRow): EpicAnalytics {
    return analyticsFrom(row);
  }
}

function analyticsFrom(row: AnalyticsRow): EpicAnalytics {
  return {
    epicId: row.epicId,
    status: row.status,
    totalTasks: row.totalTasks,
    tasksByStatus: { todo: row.todo, in_progress: row.inProgress, completed: row.completed },
    tasksByPhase: {
      analysis: row.analysis,
      red: row.red,
      green: row.green,
      refactor: row.refactor,
      review: row.review,
    },
    progressPercentage: progressPercentage(row.completed, row.totalTasks),
    pointsEarned: row.pointsEarned,
    pointsValue: row.pointsValue,
    storyPointsTotal: row.storyPointsTotal,
    storyPointsRemaining: row.storyPointsRemaining,
    estimateMinutesTotal: row.estimateMinutesTotal,
    estimateMinutesRemaining: row.estimateMinutesRemaining,
    durationDays: durationDaysOf(row.durationText),
  };
}

export function notFound(what: string, id: number): TrackerError {
  return new TrackerError('NOT_FOUND', `No ${what} with id ${id}`, `${what}Id`);
}

export function duplicate(field: string, key: string): TrackerError {
  return new TrackerError(
    'DUPLICATE_KEY',
    `${field} ${JSON.stringify(key)} is already taken`,
    field,
  );
}

export function transition(task: Task, action: string, required: Task['status']): TrackerError {
  return new TrackerError(
    'INVALID_TRANSITION',
    `Cannot ${action} task ${task.id}: it is ${task.status}, and only a task that is ${required} can be`,
    'taskId',
  );
}
