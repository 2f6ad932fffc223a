/**
 * The tracker's public data types: what every implementation of the store (ours, a planted-bug
 * variant, or a user's own) returns, and what the reference model predicts. Plain data only,
 * so results can be compared structurally and sent between threads.
 */

export const CLIENT_STATUSES = ['active', 'inactive'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const EPIC_STATUSES = ['pending', 'in_progress', 'completed'] as const;
export type EpicStatus = (typeof EPIC_STATUSES)[number];

export const TDD_PHASES = ['analysis', 'red', 'green', 'refactor', 'review'] as const;
export type TddPhase = (typeof TDD_PHASES)[number];

export const TASK_STATUSES = ['todo', 'in_progress', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Client {
  readonly id: number;
  readonly clientKey: string;
  readonly name: string;
  readonly status: ClientStatus;
  readonly priorityLevel: number;
}

export interface Epic {
  readonly id: number;
  readonly clientId: number;
  readonly epicKey: string;
  readonly title: string;
  readonly description: string;
  readonly pointsValue: number;
  readonly pointsEarned: number;
  readonly status: EpicStatus;
  readonly durationText: string | null;
}

export interface Task {
  readonly id: number;
  readonly epicId: number;
  readonly taskKey: string;
  readonly title: string;
  readonly tddPhase: TddPhase;
  readonly status: TaskStatus;
  readonly storyPoints: number;
  readonly estimateMinutes: number;
}

export interface NewClient {
  readonly clientKey: string;
  readonly name: string;
  readonly status?: ClientStatus;
  readonly priorityLevel?: number;
}

export interface NewEpic {
  readonly clientId: number;
  readonly epicKey: string;
  readonly title: string;
  readonly description?: string;
  readonly pointsValue?: number;
  readonly durationText?: string | null;
}

/** A task created together with its epic: the epic id is not known yet. */
export interface NewTaskOfEpic {
  readonly taskKey: string;
  readonly title: string;
  readonly tddPhase?: TddPhase;
  readonly storyPoints?: number;
  readonly estimateMinutes?: number;
}

export interface NewTask extends NewTaskOfEpic {
  readonly epicId: number;
}

export interface EpicWithTasks {
  readonly epic: Epic;
  readonly tasks: readonly Task[];
}

export interface PageRequest {
  /** 1-based. */
  readonly page?: number;
  readonly pageSize?: number;
}

export interface ClientFilter extends PageRequest {
  readonly status?: ClientStatus;
}

export interface EpicFilter extends PageRequest {
  readonly clientId?: number;
  readonly status?: EpicStatus;
}

export interface TaskFilter extends PageRequest {
  readonly epicId?: number;
  readonly status?: TaskStatus;
  readonly tddPhase?: TddPhase;
}

/** Lists are ordered by id ascending; a page past the end is empty, never an error. */
export interface Page<T> {
  readonly data: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly totalPages: number;
}

export interface EpicAnalytics {
  readonly epicId: number;
  readonly status: EpicStatus;
  readonly totalTasks: number;
  readonly tasksByStatus: Readonly<Record<TaskStatus, number>>;
  readonly tasksByPhase: Readonly<Record<TddPhase, number>>;
  /** completed / total * 100, rounded half away from zero to one decimal; 0 with no tasks. */
  readonly progressPercentage: number;
  readonly pointsEarned: number;
  readonly pointsValue: number;
  /** Story points of all the epic's tasks, and of those still open. */
  readonly storyPointsTotal: number;
  readonly storyPointsRemaining: number;
  readonly estimateMinutesTotal: number;
  readonly estimateMinutesRemaining: number;
  /** The epic's durationText in calendar days (one decimal), or null when it has none. */
  readonly durationDays: number | null;
}

export interface PoolFigures {
  readonly size: number;
  readonly open: number;
  readonly idle: number;
  readonly inUse: number;
  readonly waiting: number;
  readonly acquired: number;
  readonly busyRetries: number;
  /** Acquires that had to wait for a connection, and waits (connection or write gate) that timed out. */
  readonly queuedAcquires: number;
  readonly acquireTimeouts: number;
}

export interface HealthReport {
  readonly connected: boolean;
  readonly journalMode: string;
  readonly integrity: string;
  readonly foreignKeyViolations: number;
  readonly pool: PoolFigures;
}

/**
 * The store's API. Every method returns a Promise and, on bad input or a refused transition,
 * rejects with a TrackerError whose `code` says what went wrong; a rejected call writes nothing.
 */
export interface TrackerStore {
  createClient(input: NewClient): Promise<Client>;
  createEpic(input: NewEpic): Promise<Epic>;
  /** The epic and all its tasks in one transaction: a reader sees all of it or none. */
  createEpicWithTasks(epic: NewEpic, tasks: readonly NewTaskOfEpic[]): Promise<EpicWithTasks>;
  createTask(input: NewTask): Promise<Task>;
  /** todo -> in_progress. */
  startTask(taskId: number): Promise<Task>;
  /** Next TDD phase (analysis -> red -> green -> refactor -> review) of an in-progress task. */
  advanceTaskPhase(taskId: number): Promise<Task>;
  /** in_progress -> completed, adding the task's story points to its epic's pointsEarned. */
  completeTask(taskId: number): Promise<Task>;
  getClient(id: number): Promise<Client>;
  getEpic(id: number): Promise<Epic>;
  getTask(id: number): Promise<Task>;
  listClients(filter?: ClientFilter): Promise<Page<Client>>;
  listEpics(filter?: EpicFilter): Promise<Page<Epic>>;
  listTasks(filter?: TaskFilter): Promise<Page<Task>>;
  getEpicAnalytics(epicId: number): Promise<EpicAnalytics>;
  healthCheck(): Promise<HealthReport>;
  /**
   * Optional: the pool's counters, synchronously and without a connection (healthCheck needs
   * one). The load engine samples it to report pool waits and connections never released.
   */
  poolFigures?(): PoolFigures;
  close(): Promise<void>;
}
