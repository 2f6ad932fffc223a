/**
 * The fuzz loop: engines take turns by the time they have had, each running a batch of cases
 * from its next round's seed, until the time is up, every engine has run its rounds, a stop is
 * requested, or a failure is found (with --keep-going: until enough distinct failures are
 * found). Failures are deduplicated by their
 * shrunk case and saved in the failure store.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FailureStore } from '../engine/failure-store';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import type { StoreFactory } from '../target/store-factory';
import type { FailureRecord } from '../report/report-schema';
import type { EngineFailure, FuzzEngine } from './engines';
import { replayCommand } from './replay-command';
import type { RunRecorder } from './run-recorder';
import { roundOf, seedOf, type Shard } from './seed-space';
import { timedStoreFactory } from './timed-store';

export interface FuzzRunOptions {
  readonly engines: readonly FuzzEngine[];
  readonly createStore: StoreFactory;
  /** As given on the command line (for replay commands); undefined: the built-in tracker. */
  readonly targetFlag: string | undefined;
  readonly targetName: string;
  readonly durationMs: number;
  /** Longest batch of one engine (its fair share of the run); undefined: the time left. */
  readonly batchTimeLimitMs?: number;
  readonly maxRounds: number | undefined;
  readonly baseSeed: number;
  readonly shard: Shard;
  readonly casesPerBatch: number;
  readonly keepGoing: boolean;
  readonly maxFailures: number;
  readonly failureStore: FailureStore | undefined;
  readonly scratch: ScratchDatabases;
  readonly recorder: RunRecorder;
  readonly shouldStop: () => boolean;
  readonly onFailure?: (failure: FailureRecord, isNew: boolean) => void;
}

export type StopReason = 'time' | 'rounds' | 'failure' | 'max-failures' | 'stopped';

export function failureKey(engine: string, failure: EngineFailure): string {
  return createHash('sha256').update(`${engine}\n${failure.caseKey}`).digest('hex').slice(0, 16);
}

export async function fuzz(options: FuzzRunOptions): Promise<StopReason> {
  const { recorder } = options;
  const deadline = recorder.elapsedMs() + options.durationMs;
  const timeLeft = () => deadline - recorder.elapsedMs();
  const context = {
    createStore: timedStoreFactory(options.createStore, (us) => recorder.recordLatency(us)),
    scratch: options.scratch,
    shouldStop: () => options.shouldStop() || timeLeft() <= 0,
    recordLatencyMicros: (us: number) => recorder.recordLatency(us),
    noteBatchCalls: (calls: number) => recorder.noteBatchCalls(calls),
  };
  // Fair time, not fair turns: the engine that has had the least time so far runs next. An
  // engine whose batch ends by its case count in a second then runs many seeds while one that
  // uses its whole cap (leak, parallel) runs few, and each gets about the same share of a night.
  const engines = options.engines.map((engine) => ({ engine, batches: 0, ms: 0 }));
  for (;;) {
    const open = engines.filter(
      (e) => options.maxRounds === undefined || e.batches < options.maxRounds,
    );
    if (open.length === 0) return 'rounds';
    if (options.shouldStop()) return 'stopped';
    if (timeLeft() <= 0) return 'time';
    const next = open.reduce((least, e) => (e.ms < least.ms ? e : least));
    const { engine } = next;
    // Each engine walks the shard's rounds in order, so shards stay disjoint per engine.
    const round = roundOf(options.shard, next.batches);
    const seed = seedOf(options.baseSeed, round);
    recorder.currentEngine = engine.name;
    const started = recorder.elapsedMs();
    const result = await engine.runBatch(
      seed,
      {
        maxCases: options.casesPerBatch,
        timeLimitMs: Math.max(Math.min(timeLeft(), options.batchTimeLimitMs ?? Infinity), 1),
      },
      context,
    );
    const durationMs = recorder.elapsedMs() - started;
    next.batches += 1;
    next.ms += durationMs;
    if (result.latencyHistogram) {
      recorder.addLatencyHistogram(engine.name, result.latencyHistogram);
    }
    if (result.heapSeries) recorder.addHeapSeries(result.heapSeries, started);
    recorder.batches.push({
      round,
      engine: engine.name,
      seed,
      cases: result.cases,
      operations: result.operations,
      errors: result.errors,
      durationMs: Math.round(durationMs * 10) / 10,
      failed: result.failure !== undefined,
      ...(result.note !== undefined ? { note: result.note.slice(0, 2000) } : {}),
    });
    if (result.failure === undefined) continue;
    const key = failureKey(engine.name, result.failure);
    const isNew = !recorder.failures.some((f) => f.key === key);
    // The same shrunk case from another seed is counted, not saved again.
    const record = failureRecord(options, engine, round, result.failure, key, isNew);
    recorder.failures.push(record);
    options.onFailure?.(record, isNew);
    if (!options.keepGoing) return 'failure';
    if (recorder.totals().failures >= options.maxFailures) return 'max-failures';
  }
}

function failureRecord(
  options: FuzzRunOptions,
  engine: FuzzEngine,
  round: number,
  failure: EngineFailure,
  key: string,
  save: boolean,
): FailureRecord {
  const replay =
    failure.replay ??
    replayCommand(engine.name, failure.seed, failure.path, engine.settings, options.targetFlag);
  // An engine that saved the failure itself (with its history) is not saved twice.
  const store = save && failure.savedFile === undefined ? options.failureStore : undefined;
  const saved =
    failure.savedFile ??
    store?.save({
      engine: engine.name,
      property: engine.property,
      target: options.targetName,
      seed: failure.seed,
      path: failure.path,
      settings: engine.settings,
      summary: failure.summary,
      replay,
    }) ??
    null;
  const savedFile = saved === null ? null : path.relative(process.cwd(), saved) || saved;
  return {
    key,
    engine: engine.name,
    property: engine.property,
    seed: failure.seed,
    path: failure.path,
    round,
    summary: failure.summary,
    calls: failure.calls ?? null,
    replay,
    savedFile,
    occurrences: 1,
    lanes: failure.lanes
      ? {
          workers: failure.lanes.workers,
          ops: failure.lanes.ops.map((op) => ({
            worker: op.worker,
            invoke: op.invoke,
            response: Number.isFinite(op.response) ? op.response : null,
            call: op.call,
            outcome: op.outcome,
            ...(op.mark
              ? { mark: { expected: op.mark.expected, observed: op.mark.observed } }
              : {}),
          })),
        }
      : null,
  };
}
