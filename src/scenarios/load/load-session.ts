/**
 * A load session: N worker threads x L lanes kept warm while levels of load run on them one
 * after another. Each level gets a fresh database file (so every level starts alike), its own
 * pool size, mix, seed and arrival rate, and ends with the model check of its whole history,
 * integrity and invariants, pool figures and the process's resources. `measure` is awaited
 * level by level, so a search can choose the next level from the last result.
 */
import path from 'node:path';
import type { RecordedOp, WorkloadFigures } from '../../engine/parallel/protocol';
import {
  runParallelWorkers,
  type ParallelRunResult,
  type RoundPlan,
  type WorkerTimeouts,
} from '../../engine/parallel/run-workers';
import { describeRunVerdict } from '../../engine/parallel/verdict';
import { invariantViolations, snapshotOfStore } from '../../../models/invariants';
import { describeOp, type OpResult, type TrackerOp } from '../../../models/operations';
import { initialTrackerState } from '../../../models/tracker-state';
import { ScratchDatabases } from '../scratch-db';
import { checkParallelHistory, type ParallelCheck } from '../parallel/check-parallel-history';
import { drawWitness } from '../parallel/parallel-report';
import type { Mix } from '../parallel/mixes';
import type { TrackerHistory } from '../parallel/parallel-case';
import { factoryOf, type TargetSpec } from '../parallel/target-spec';
import type { TrackerRoundParams, TrackerWorkerData } from '../parallel/tracker-worker';
import { LevelMetrics, type LevelFigures } from './level-metrics';
import { LevelResources, type ResourceFigures } from './level-resources';

export interface SessionShape {
  readonly target: TargetSpec;
  readonly threads: number;
  /** Concurrent logical clients per thread (the concurrency cap of a paced level). */
  readonly lanes: number;
  readonly timeouts?: Partial<WorkerTimeouts>;
}

export interface LoadLevel {
  /** Calls per second offered in all (open model); undefined: lanes call back to back. */
  readonly rate?: number;
  readonly seconds: number;
  /** Instead of (or before) the time: this many calls per lane. */
  readonly opsPerLane?: number;
  readonly mix: Mix;
  readonly poolSize: number;
  readonly seed: number;
}

export interface PoolLevelFigures {
  readonly queuedAcquires: number;
  readonly acquireTimeouts: number;
  readonly busyRetries: number;
  /** Most callers seen waiting for a connection at one heartbeat, over all threads. */
  readonly peakWaiting: number;
  /** Most connections held with no call running them (never released), over all threads. */
  readonly leakedConnections: number;
}

export interface LevelCheck {
  readonly verdict: ParallelCheck['verdict'] | 'not run';
  readonly violations: number;
  readonly unchecked: number;
  readonly elapsedMs: number;
  /** The witness drawn as lanes, or why the check could not decide. */
  readonly detail?: string;
}

export interface LevelResult extends LevelFigures {
  readonly level: LoadLevel;
  readonly threads: number;
  readonly lanes: number;
  /** Calls served / calls offered (paced levels only). */
  readonly achievedRatio?: number;
  readonly check: LevelCheck;
  /** Integrity, invariants, counters that disagree: each a sentence. */
  readonly problems: readonly string[];
  readonly pool: PoolLevelFigures;
  readonly resources: ResourceFigures;
  readonly wallMs: number;
}

/** The workers crashed or hung: the session cannot measure any more levels. */
export class LoadSessionError extends Error {
  override readonly name = 'LoadSessionError';
}

interface Request {
  readonly level: LoadLevel;
  resolve(result: LevelResult): void;
  reject(error: Error): void;
}

export const LEVEL_CHECK = { timeoutMs: 10_000, exactUpTo: 400 } as const;

export class LoadSession {
  private readonly queue: Request[] = [];
  private wakeRounds: (() => void) | undefined;
  private closing = false;
  private readonly finished: Promise<ParallelRunResult<TrackerOp, OpResult>>;
  private failure: Error | undefined;
  private active: ActiveLevel | undefined;

  private constructor(
    readonly shape: SessionShape,
    private readonly scratch: ScratchDatabases,
    startupDb: string,
  ) {
    this.finished = runParallelWorkers<TrackerOp, OpResult>({
      entry: path.join(__dirname, '..', 'parallel', 'tracker-worker.ts'),
      threads: shape.threads,
      dataFor: (): TrackerWorkerData & Record<string, unknown> => ({
        target: shape.target,
        dbPath: startupDb,
        seed: 0,
        lanes: shape.lanes,
        mix: { getClient: 1 },
      }),
      rounds: this.rounds(),
      onOps: (ops) => this.active?.add(ops),
      onFigures: (thread, figures, roundEnd) => this.active?.figures(thread, figures, roundEnd),
      afterRound: async () => {
        await this.finishLevel();
        return true;
      },
      ...(shape.timeouts !== undefined ? { timeouts: shape.timeouts } : {}),
    });
    void this.finished.then(
      (result) => this.endWith(result),
      (error: unknown) => this.endWith(undefined, error),
    );
  }

  /** Starts the threads and runs a short unreported warm-up level (JIT, page cache). */
  static async open(shape: SessionShape, warmUp?: LoadLevel): Promise<LoadSession> {
    // The threads open their stores on this file at once: its schema must exist before, or
    // two of them race to create it (and one meets "database is locked").
    const scratch = new ScratchDatabases('stampede-load-');
    const startupDb = scratch.next();
    try {
      await (await factoryOf(shape.target)({ dbPath: startupDb, poolSize: 1 })).close();
    } catch (error) {
      scratch.removeAll();
      throw error;
    }
    const session = new LoadSession(shape, scratch, startupDb);
    if (warmUp !== undefined) await session.measure(warmUp);
    return session;
  }

  measure(level: LoadLevel): Promise<LevelResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new LoadSessionError('the session is closed'));
    return new Promise<LevelResult>((resolve, reject) => {
      this.queue.push({ level, resolve, reject });
      this.wakeRounds?.();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wakeRounds?.();
    try {
      await this.finished;
    } finally {
      this.scratch.removeAll();
    }
  }

  private async *rounds(): AsyncGenerator<RoundPlan> {
    for (;;) {
      while (this.queue.length === 0 && !this.closing) {
        await new Promise<void>((resolve) => (this.wakeRounds = resolve));
      }
      const request = this.queue.shift();
      if (request === undefined) return;
      const dbPath = this.scratch.next();
      // The main thread's store creates the schema before the workers open the file.
      const main = await factoryOf(this.shape.target)({ dbPath, poolSize: 1 });
      this.active = new ActiveLevel(request, main, dbPath, this.shape);
      const { level } = request;
      const params: TrackerRoundParams = {
        dbPath,
        poolSize: level.poolSize,
        mix: level.mix,
        seed: level.seed,
      };
      yield {
        durationMs: level.seconds * 1000,
        ...(level.opsPerLane !== undefined ? { maxOpsPerLane: level.opsPerLane } : {}),
        ...(level.rate !== undefined
          ? { ratePerSecondPerThread: level.rate / this.shape.threads }
          : {}),
        params,
      };
    }
  }

  private async finishLevel(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (active === undefined) return;
    try {
      active.request.resolve(await active.finish());
    } catch (error) {
      active.request.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.scratch.discard(active.dbPath);
    }
  }

  private endWith(result: ParallelRunResult<TrackerOp, OpResult> | undefined, error?: unknown) {
    const reason =
      result !== undefined && result.verdict.kind !== 'completed'
        ? describeRunVerdict(result.verdict, describeOp)
        : error !== undefined
          ? `the load session failed: ${error instanceof Error ? error.message : String(error)}`
          : undefined;
    this.failure = new LoadSessionError(reason ?? 'the session is closed');
    const pending = [...this.queue.splice(0), ...(this.active ? [this.active.request] : [])];
    for (const request of pending) request.reject(this.failure);
    void this.active?.abandon();
    this.active = undefined;
  }
}

/** The level being measured: its calls, the threads' figures, the resources. */
class ActiveLevel {
  private readonly metrics = new LevelMetrics();
  private readonly history: TrackerHistory = [];
  private readonly lastFigures = new Map<number, WorkloadFigures>();
  private peakWaiting = 0;
  private leaked = 0;
  private readonly started = performance.now();
  private readonly resources: LevelResources;

  constructor(
    readonly request: Request,
    private readonly main: Awaited<ReturnType<ReturnType<typeof factoryOf>>>,
    readonly dbPath: string,
    private readonly shape: SessionShape,
  ) {
    this.resources = new LevelResources(dbPath);
    this.resources.start();
  }

  add(ops: readonly RecordedOp<TrackerOp, OpResult>[]): void {
    for (const op of ops) {
      this.history.push({ id: this.history.length, ...op });
      this.metrics.add(op);
    }
  }

  figures(thread: number, figures: WorkloadFigures, roundEnd: boolean): void {
    let waiting = figures.waiting ?? 0;
    for (const [other, seen] of this.lastFigures)
      if (other !== thread) waiting += seen.waiting ?? 0;
    this.peakWaiting = Math.max(this.peakWaiting, waiting);
    this.leaked = Math.max(this.leaked, figures.leakedConnections ?? 0);
    if (roundEnd) this.lastFigures.set(thread, figures);
    else this.lastFigures.set(thread, { ...this.lastFigures.get(thread), ...figures });
    this.resources.notePool(thread, figures);
  }

  async finish(): Promise<LevelResult> {
    const resources = this.resources.stop();
    const figures = this.metrics.figures();
    const problems: string[] = [];
    let check: LevelCheck = { verdict: 'not run', violations: 0, unchecked: 0, elapsedMs: 0 };
    try {
      const final = await snapshotOfStore(this.main);
      const health = await this.main.healthCheck();
      if (health.integrity !== 'ok') problems.push(`PRAGMA integrity_check: ${health.integrity}`);
      if (health.foreignKeyViolations > 0) {
        problems.push(`PRAGMA foreign_key_check: ${health.foreignKeyViolations} violation(s)`);
      }
      problems.push(...invariantViolations(final).map((p) => `database: ${p}`));
      const verdict = checkParallelHistory(this.history, initialTrackerState(), final, LEVEL_CHECK);
      check = {
        verdict: verdict.verdict,
        violations: verdict.verdict === 'violation' ? 1 : 0,
        unchecked: verdict.unchecked,
        elapsedMs: verdict.elapsedMs,
        ...(verdict.violation !== undefined
          ? { detail: drawWitness(verdict.violation) }
          : verdict.reason !== undefined
            ? { detail: verdict.reason }
            : {}),
      };
    } finally {
      await this.main.close();
    }
    const counted = [...this.lastFigures.values()].reduce((sum, f) => sum + (f.calls ?? 0), 0);
    if (this.lastFigures.size === this.shape.threads && counted !== figures.operations) {
      problems.push(
        `counters disagree: the threads made ${counted} calls, the history holds ${figures.operations}`,
      );
    }
    const sum = (key: string) =>
      [...this.lastFigures.values()].reduce((total, f) => total + (f[key] ?? 0), 0);
    if (this.leaked > 0) {
      problems.push(
        `connection leak: ${this.leaked} pooled connection(s) held with no call running them ` +
          '(a connection is never released)',
      );
    }
    const { level } = this.request;
    const offered = level.rate !== undefined ? level.rate * level.seconds : undefined;
    return {
      ...figures,
      level,
      threads: this.shape.threads,
      lanes: this.shape.lanes,
      ...(offered !== undefined
        ? { achievedRatio: Math.min(1, figures.operations / offered) }
        : {}),
      check,
      problems,
      pool: {
        queuedAcquires: sum('queuedAcquires'),
        acquireTimeouts: sum('acquireTimeouts'),
        busyRetries: sum('busyRetries'),
        peakWaiting: this.peakWaiting,
        leakedConnections: this.leaked,
      },
      resources,
      wallMs: performance.now() - this.started,
    };
  }

  async abandon(): Promise<void> {
    this.resources.stop();
    await this.main.close();
  }
}
