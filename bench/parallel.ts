/**
 * The parallel engine against raw better-sqlite3, in one run: the same statements on raw
 * connections in one thread and in N worker threads, the store alone in N threads on the
 * engine's own streams of calls (the store's cost), then the store through the parallel engine
 * (N threads, one lane each, history recorded and streamed, every round checked: the engine's
 * cost on top). Each figure is the median of several alternating repetitions; only ratios mean
 * anything.
 *
 * Then the checker's time on histories of 1k, 10k and 100k calls recorded from 2, 4 and 8
 * workers (the fast path: projections; histories cut at a time, so every call in them is whole),
 * each after one untimed warm-up check of a history half its size.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { initialTrackerState } from '../models/tracker-state';
import { checkParallelHistory } from '../src/scenarios/parallel/check-parallel-history';
import { MIXES, type Mix } from '../src/scenarios/parallel/mixes';
import {
  DEFAULT_PARALLEL,
  runParallelCase,
  type TrackerHistory,
} from '../src/scenarios/parallel/parallel-case';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { BOOTSTRAP } from '../src/engine/parallel/run-workers';
import { SqliteTracker } from '../src/tracker';
import { STATEMENTS } from '../src/tracker/sql/statements';
import type { BenchRow } from './store-vs-raw';

export interface ParallelBenchOptions {
  readonly seconds: number;
  readonly threads: number;
  readonly repetitions: number;
}

export interface CheckerRow {
  readonly workers: number;
  readonly operations: number;
  /** Median of the repetitions, wall clock. */
  readonly checkMs: number;
  /** Median CPU time of the process (only the checker runs then): steadier on a busy machine. */
  readonly checkCpuMs: number;
  readonly verdict: string;
}

const PREFILL_EPICS = 1000;
const WARM_UP_CHECKS = 2;
const RAW_WORKER = path.join(__dirname, 'raw-worker.cjs');
const STORE_WORKER = path.join(__dirname, 'store-worker.ts');
const ENGINE_SEED = 1;

type Kind = 'write' | 'read';
const ENGINE_MIX: Record<Kind, Mix> = {
  write: { createEpicWithTasks: 1 },
  read: { getEpicAnalytics: 1 },
};

/** A client and PREFILL_EPICS epics of 3 tasks, through the store itself (so ids match the model). */
function prefill(dbPath: string): void {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec('BEGIN');
  db.prepare(STATEMENTS.insertClient).get({
    clientKey: 'bench',
    name: 'Bench',
    status: 'active',
    priorityLevel: 5,
  });
  const epic = db.prepare(STATEMENTS.insertEpic);
  const task = db.prepare(STATEMENTS.insertTask);
  for (let e = 1; e <= PREFILL_EPICS; e += 1) {
    const made = epic.get({
      clientId: 1,
      epicKey: `P-${e}`,
      title: 'Prefilled',
      description: '',
      pointsValue: 30,
      durationText: null,
    }) as { id: number };
    for (let k = 1; k <= 3; k += 1) {
      task.get({
        epicId: made.id,
        taskKey: `T-${k}`,
        title: 'Task',
        tddPhase: 'red',
        storyPoints: k,
        estimateMinutes: 60,
      });
    }
  }
  db.exec('COMMIT');
  db.close();
}

/** Ops per second of N threads started together on a fresh prefilled file, each timing itself. */
async function timedThreads(
  threads: number,
  spawn: (worker: number, dbPath: string, startAt: number) => Worker,
): Promise<number> {
  const scratch = new ScratchDatabases('stampede-bench-threads-');
  const dbPath = scratch.next();
  new SqliteTracker({ dbPath }).close(); // schema
  prefill(dbPath);
  // Past the store workers' loading of TypeScript, so every thread starts on time.
  const startAt = Date.now() + 2000;
  try {
    const results = await Promise.all(
      Array.from(
        { length: threads },
        (_, worker) =>
          new Promise<{ ops: number; elapsedNs: number }>((resolve, reject) => {
            const w = spawn(worker, dbPath, startAt);
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    const ops = results.reduce((n, r) => n + r.ops, 0);
    const elapsed = Math.max(...results.map((r) => r.elapsedNs)) / 1e9;
    return ops / elapsed;
  } finally {
    scratch.removeAll();
  }
}

function rawThreads(kind: Kind, threads: number, seconds: number): Promise<number> {
  return timedThreads(
    threads,
    (worker, dbPath, startAt) =>
      new Worker(RAW_WORKER, {
        workerData: {
          dbPath,
          kind,
          ms: seconds * 1000,
          epics: PREFILL_EPICS,
          startAt,
          worker,
          statements: STATEMENTS,
        },
      }),
  );
}

/** The store on the engine's own streams of calls, in N threads, without the engine. */
function storeThreads(kind: Kind, threads: number, seconds: number): Promise<number> {
  return timedThreads(
    threads,
    (worker, dbPath, startAt) =>
      new Worker(BOOTSTRAP, {
        workerData: {
          entry: STORE_WORKER,
          dbPath,
          mix: ENGINE_MIX[kind],
          seed: ENGINE_SEED,
          worker,
          ms: seconds * 1000,
          startAt,
        },
      }),
  );
}

async function engineThreads(kind: Kind, threads: number, seconds: number) {
  const outcome = await runParallelCase({
    ...DEFAULT_PARALLEL,
    target: { kind: 'builtin' },
    seed: ENGINE_SEED,
    threads,
    lanes: 1,
    seconds,
    roundSeconds: seconds,
    mix: ENGINE_MIX[kind],
    prepareDb: prefill,
  });
  if (outcome.failed)
    throw new Error(`bench: the correct store failed: ${outcome.problems.join('; ')}`);
  return {
    opsPerSec: outcome.operations / (outcome.runMs / 1000),
    checkMsPer1k: (outcome.checkMs / outcome.operations) * 1000,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function row(name: string, raw: number, store: number): BenchRow {
  return { name, rawOpsPerSec: raw, storeOpsPerSec: store, ratio: store / raw };
}

export async function benchParallel(options: ParallelBenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const n = options.threads;
  for (const kind of ['write', 'read'] as const) {
    const raw1: number[] = [];
    const rawN: number[] = [];
    const storeN: number[] = [];
    const engine: number[] = [];
    const checks: number[] = [];
    for (let rep = 0; rep < options.repetitions; rep += 1) {
      raw1.push(await rawThreads(kind, 1, options.seconds));
      rawN.push(await rawThreads(kind, n, options.seconds));
      storeN.push(await storeThreads(kind, n, options.seconds));
      const e = await engineThreads(kind, n, options.seconds);
      engine.push(e.opsPerSec);
      checks.push(e.checkMsPer1k);
      if (process.env.BENCH_TRACE) {
        process.stderr.write(
          `${kind} rep ${rep}: raw1 ${raw1.at(-1)} rawN ${rawN.at(-1)} storeN ${storeN.at(-1)} ` +
            `engine ${e.opsPerSec}\n`,
        );
      }
    }
    const label = kind === 'write' ? 'write-heavy (epic + 3 tasks)' : 'read-heavy (analytics)';
    rows.push(
      row(`${label}: engine ${n} threads / raw ${n} threads`, median(rawN), median(engine)),
    );
    rows.push(
      row(`${label}: engine ${n} threads / raw 1 connection`, median(raw1), median(engine)),
    );
    rows.push(row(`${label}: raw ${n} threads / raw 1 connection`, median(raw1), median(rawN)));
    // The engine's own cost: the store's threads on the same streams, nothing recorded.
    rows.push(
      row(`${label}: engine ${n} threads / store ${n} threads`, median(storeN), median(engine)),
    );
    rows.push(row(`${label}: store ${n} threads / raw ${n} threads`, median(rawN), median(storeN)));
    process.stderr.write(`${label}: checking cost ${median(checks).toFixed(1)} ms per 1k calls\n`);
  }
  return rows;
}

/** Records one long history per worker count, then checks cuts of it of each size. */
export async function benchChecker(
  sizes: readonly number[] = [1_000, 10_000, 100_000],
  workerCounts: readonly number[] = [2, 4, 8],
  repetitions = 5,
): Promise<CheckerRow[]> {
  const rows: CheckerRow[] = [];
  const largest = Math.max(...sizes);
  for (const workers of workerCounts) {
    const outcome = await runParallelCase({
      ...DEFAULT_PARALLEL,
      target: { kind: 'builtin' },
      seed: workers,
      threads: workers,
      lanes: 1,
      seconds: 600,
      opsPerLane: Math.ceil(largest / workers) + 50,
      mix: MIXES.mixed,
      skipCheck: true,
      keepHistory: true,
    });
    const history = outcome.histories.flat();
    for (const size of sizes) {
      const cut = cutAt(history, size);
      const times: number[] = [];
      const cpu: number[] = [];
      let verdict = '';
      // Untimed checks of a shorter history first: the JIT's warm-up and the heap's growth to
      // its working size, which a run pays in its first rounds, not at every round. Measured
      // here: the first checks of a process take up to 1.6x the later ones.
      const warmUp = cutAt(history, Math.ceil(size / 2));
      for (let warm = 0; warm < WARM_UP_CHECKS; warm += 1) {
        checkParallelHistory(warmUp, initialTrackerState(), undefined, {
          timeoutMs: 60_000,
          exactUpTo: 0,
        });
      }
      for (let rep = 0; rep < repetitions; rep += 1) {
        const before = process.cpuUsage();
        const check = checkParallelHistory(cut, initialTrackerState(), undefined, {
          timeoutMs: 60_000,
          exactUpTo: 0,
        });
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
        times.push(check.elapsedMs);
        verdict = check.verdict;
      }
      rows.push({
        workers,
        operations: cut.length,
        checkMs: median(times),
        checkCpuMs: median(cpu),
        verdict,
      });
    }
  }
  return rows;
}

/**
 * The history as it stood at the size-th invoke: calls invoked later are left out, and calls
 * still running then count as never returned (their results could reflect calls left out).
 */
function cutAt(history: TrackerHistory, size: number): TrackerHistory {
  const byInvoke = [...history].sort((a, b) => a.invoke - b.invoke);
  const at = byInvoke[Math.min(size, byInvoke.length) - 1]?.invoke ?? Infinity;
  return byInvoke
    .filter((op) => op.invoke <= at)
    .map((op) =>
      op.response <= at ? op : { ...op, output: undefined as never, response: Infinity },
    );
}
