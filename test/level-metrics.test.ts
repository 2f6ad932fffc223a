/**
 * Figures of one load level from hand-made recorded calls: response time from the due time
 * when a call started late and from its start when it started early, service time, service
 * failures (never the refusals the model predicts), per-kind counts and throughput over the
 * span; a level judged against thresholds and problems; the seeds of levels.
 */
import type { RecordedOp } from '../src/engine/parallel/protocol';
import type { OpResult, TrackerOp } from '../models/operations';
import { TRACKER_ERROR_CODES, type TrackerErrorCode } from '../src/tracker';
import { LevelMetrics, type LevelFigures } from '../src/scenarios/load/level-metrics';
import { serviceFailureOf } from '../src/scenarios/load/call-errors';
import {
  judgeLevel,
  levelSeed,
  probeOutcomeOf,
  thresholdMetricsOf,
} from '../src/scenarios/load/level-verdict';
import type { LevelResult } from '../src/scenarios/load/load-session';
import { parseThreshold } from '../src/engine/thresholds';

const MS = 1_000_000; // ns

const ok: OpResult = { ok: true, value: { id: 1 } };
const failure = (code: TrackerErrorCode | 'UNTYPED_ERROR'): OpResult => ({ ok: false, code });

const getClient: TrackerOp = { kind: 'getClient', id: 1 };
const startTask: TrackerOp = { kind: 'startTask', taskId: 2 };
const listClients: TrackerOp = { kind: 'listClients' };

function op(
  invokeMs: number,
  responseMs: number,
  options: { intendedMs?: number; input?: TrackerOp; output?: OpResult; worker?: number } = {},
): RecordedOp<TrackerOp, OpResult> {
  return {
    worker: options.worker ?? 0,
    input: options.input ?? getClient,
    output: options.output ?? ok,
    invoke: invokeMs * MS,
    response: responseMs * MS,
    ...(options.intendedMs !== undefined ? { intended: options.intendedMs * MS } : {}),
  };
}

function figuresOf(ops: readonly RecordedOp<TrackerOp, OpResult>[]): LevelFigures {
  const metrics = new LevelMetrics();
  for (const o of ops) metrics.add(o);
  return metrics.figures();
}

/** HDR histograms keep 3 significant digits: equal to within 0.1%. */
function expectMicros(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 1);
}

describe('LevelMetrics', () => {
  test('a call that started late counts its response time from the due time', () => {
    // Due at 10 ms, started at 14 ms (queued 4 ms), returned at 17 ms.
    const figures = figuresOf([op(14, 17, { intendedMs: 10 })]);
    expectMicros(figures.latency.max, 7_000);
    expectMicros(figures.latency.p50, 7_000);
    expectMicros(figures.service.max, 3_000);
    expectMicros(figures.byKind.getClient!.max, 7_000);
  });

  test('a call that started early counts from its start, not its later due time', () => {
    // Due at 12 ms but started at 11.5 ms (within a timer tick), returned at 14 ms.
    const figures = figuresOf([op(11.5, 14, { intendedMs: 12 })]);
    expectMicros(figures.latency.max, 2_500);
    expectMicros(figures.service.max, 2_500);
  });

  test('a closed-model call (no due time) counts from its start', () => {
    const figures = figuresOf([op(3, 8)]);
    expectMicros(figures.latency.max, 5_000);
    expectMicros(figures.service.max, 5_000);
  });

  test('service time is response - invoke; queueing shows in response time only', () => {
    const ops = Array.from({ length: 100 }, (_, k) =>
      // Every call takes 1 ms of service; the k-th waited k ms in the queue.
      op(100 + 2 * k, 101 + 2 * k, { intendedMs: 100 + k }),
    );
    const figures = figuresOf(ops);
    expect(figures.service.count).toBe(100);
    expectMicros(figures.service.p50, 1_000);
    expectMicros(figures.service.max, 1_000);
    expectMicros(figures.latency.max, 100_000);
    expectMicros(figures.latency.p50, 50_000);
    expect(figures.latency.p99).toBeGreaterThan(figures.service.p99 * 50);
  });

  test('errors count only service failures, by code', () => {
    const ops = [
      op(0, 1, { output: failure('BUSY') }),
      op(1, 2, { output: failure('POOL_TIMEOUT') }),
      op(2, 3, { output: failure('POOL_TIMEOUT') }),
      op(3, 4, { output: failure('STORAGE_ERROR') }),
      op(4, 5, { output: failure('STORAGE_FULL') }),
      op(5, 6, { output: failure('CLOSED') }),
      op(6, 7, { output: failure('UNTYPED_ERROR') }),
      // Refusals the model predicts are right answers, not errors.
      op(7, 8, { output: failure('NOT_FOUND') }),
      op(8, 9, { output: failure('INVALID_TRANSITION'), input: startTask }),
      op(9, 10, { output: failure('DUPLICATE_KEY') }),
      op(10, 11, { output: failure('INVALID_INPUT') }),
      op(11, 12),
    ];
    const figures = figuresOf(ops);
    expect(figures.operations).toBe(12);
    expect(figures.errors).toBe(7);
    expect(figures.errorRate).toBeCloseTo(7 / 12, 10);
    expect(figures.errorsByCode).toEqual({
      BUSY: 1,
      CLOSED: 1,
      POOL_TIMEOUT: 2,
      STORAGE_ERROR: 1,
      STORAGE_FULL: 1,
      UNTYPED_ERROR: 1,
    });
  });

  test('only refusals: no errors at all', () => {
    const figures = figuresOf([
      op(0, 1, { output: failure('NOT_FOUND') }),
      op(1, 2, { output: failure('INVALID_TRANSITION'), input: startTask }),
    ]);
    expect(figures.errors).toBe(0);
    expect(figures.errorRate).toBe(0);
    expect(figures.errorsByCode).toEqual({});
  });

  test('per-kind counts and latencies', () => {
    const figures = figuresOf([
      op(0, 2, { input: getClient }),
      op(2, 4, { input: getClient }),
      op(4, 6, { input: getClient, intendedMs: 1 }),
      op(6, 16, { input: startTask }),
      op(16, 17, { input: listClients }),
    ]);
    expect(Object.keys(figures.byKind)).toEqual(['getClient', 'listClients', 'startTask']);
    expect(figures.byKind.getClient!.count).toBe(3);
    expect(figures.byKind.startTask!.count).toBe(1);
    expect(figures.byKind.listClients!.count).toBe(1);
    expectMicros(figures.byKind.getClient!.max, 5_000); // from the due time at 1 ms
    expectMicros(figures.byKind.getClient!.p50, 2_000);
    expectMicros(figures.byKind.startTask!.p99, 10_000);
    expectMicros(figures.byKind.listClients!.max, 1_000);
  });

  test('ops/s over the span from the first start to the last return', () => {
    // 50 calls on two lanes between 1000 ms and 1250 ms: 200 calls per second.
    const ops = Array.from({ length: 50 }, (_, k) =>
      op(1_000 + 10 * Math.floor(k / 2), 1_000 + 10 * Math.floor(k / 2) + 10, { worker: k % 2 }),
    );
    const figures = figuresOf(ops);
    expect(figures.spanMs).toBeCloseTo(250, 6);
    expect(figures.operationsPerSecond).toBeCloseTo(200, 6);
  });

  test('the span starts at the first call made, whatever order calls arrive in', () => {
    const figures = figuresOf([op(40, 50), op(10, 20), op(20, 110)]);
    expect(figures.spanMs).toBeCloseTo(100, 6);
    expect(figures.operationsPerSecond).toBeCloseTo(30, 6);
  });

  test('no calls: zeros everywhere', () => {
    const figures = figuresOf([]);
    expect(figures).toMatchObject({
      operations: 0,
      spanMs: 0,
      operationsPerSecond: 0,
      errors: 0,
      errorRate: 0,
      errorsByCode: {},
      byKind: {},
    });
    expect(figures.latency.count).toBe(0);
  });
});

describe('serviceFailureOf', () => {
  const SERVICE = ['BUSY', 'POOL_TIMEOUT', 'STORAGE_ERROR', 'STORAGE_FULL', 'CLOSED'];

  test.each([...TRACKER_ERROR_CODES, 'UNTYPED_ERROR' as const])('%s', (code) => {
    const expected = [...SERVICE, 'UNTYPED_ERROR'].includes(code) ? code : undefined;
    expect(serviceFailureOf(failure(code))).toBe(expected);
  });

  test('a success is never a failure', () => {
    expect(serviceFailureOf(ok)).toBeUndefined();
  });
});

describe('judgeLevel', () => {
  function levelResult(overrides: Partial<LevelResult> = {}): LevelResult {
    // 100 calls of 1..100 ms: p99 ~ 99 ms; 3 BUSY.
    const ops = Array.from({ length: 100 }, (_, k) =>
      op(k * 10, k * 10 + k + 1, k < 3 ? { output: failure('BUSY') } : {}),
    );
    return {
      ...figuresOf(ops),
      level: { seconds: 1, mix: { getClient: 1 }, poolSize: 4, seed: 1234 },
      threads: 1,
      lanes: 2,
      check: { verdict: 'ok', violations: 0, unchecked: 0, elapsedMs: 3 },
      problems: [],
      pool: {
        queuedAcquires: 0,
        acquireTimeouts: 0,
        busyRetries: 0,
        peakWaiting: 0,
        leakedConnections: 0,
      },
      resources: {
        peakRssMb: 100,
        peakHeapUsedMb: 50,
        peakCpuPercent: 80,
        cpuPercentMean: 60,
        eventLoopDelayP99Ms: 1,
        eventLoopDelayMaxMs: 2,
        eluMean: 0.5,
        peakWalMb: 1,
        peakPoolWaiting: 0,
        busyRetries: 0,
      },
      wallMs: 1_000,
      ...overrides,
    };
  }

  test('all thresholds met and no problem: the level passes', () => {
    const verdict = judgeLevel(levelResult(), [
      parseThreshold('p99 < 200ms'),
      parseThreshold('errors < 5%'),
    ]);
    expect(verdict.passed).toBe(true);
    expect(verdict.failed).toEqual([]);
    expect(verdict.thresholds.map((t) => t.passed)).toEqual([true, true]);
  });

  test('a failing threshold fails the level, saying what was observed', () => {
    const verdict = judgeLevel(levelResult(), [
      parseThreshold('p99 < 20ms'),
      parseThreshold('errors < 5%'),
    ]);
    expect(verdict.passed).toBe(false);
    expect(verdict.thresholds.map((t) => t.passed)).toEqual([false, true]);
    expect(verdict.failed).toHaveLength(1);
    expect(verdict.failed[0]).toMatch(/^p99 < 20ms \(observed p99 = 99(\.\d+)?ms\)$/);
  });

  test('the error rate read by thresholds is the service failures only', () => {
    const verdict = judgeLevel(levelResult(), [parseThreshold('errors < 1%')]);
    expect(verdict.passed).toBe(false);
    expect(verdict.failed[0]).toMatch(/^errors < 1% \(observed errors = 3%\)$/);
  });

  test('a problem fails the level whatever the thresholds', () => {
    const problem = 'connection leak: 2 pooled connection(s) held with no call running them';
    const verdict = judgeLevel(levelResult({ problems: [problem] }), [
      parseThreshold('p99 < 200ms'),
    ]);
    expect(verdict.passed).toBe(false);
    expect(verdict.thresholds.every((t) => t.passed)).toBe(true);
    expect(verdict.failed).toEqual([`problem: ${problem}`]);
    // ...and with no threshold at all.
    expect(judgeLevel(levelResult({ problems: [problem] }), []).passed).toBe(false);
    expect(judgeLevel(levelResult(), []).passed).toBe(true);
  });

  test('thresholds first, then problems', () => {
    const verdict = judgeLevel(levelResult({ problems: ['database: points drifted'] }), [
      parseThreshold('p99 < 20ms'),
    ]);
    expect(verdict.failed).toHaveLength(2);
    expect(verdict.failed[0]).toMatch(/^p99 < 20ms/);
    expect(verdict.failed[1]).toBe('problem: database: points drifted');
  });

  test('violations of the check and the achieved ratio reach the thresholds', () => {
    const result = levelResult({
      check: { verdict: 'violation', violations: 1, unchecked: 0, elapsedMs: 3 },
      achievedRatio: 0.8,
    });
    expect(thresholdMetricsOf(result)).toMatchObject({ violations: 1, achievedRatio: 0.8 });
    const verdict = judgeLevel(result, [
      parseThreshold('violations == 0'),
      parseThreshold('achieved >= 95%'),
    ]);
    expect(verdict.passed).toBe(false);
    expect(verdict.failed).toHaveLength(2);
    expect(verdict.failed[1]).toMatch(/^achieved >= 95% \(observed achieved = 80%\)$/);
    // A closed-model level has no achieved ratio: the threshold does not apply.
    expect('achievedRatio' in thresholdMetricsOf(levelResult())).toBe(false);
    expect(judgeLevel(levelResult(), [parseThreshold('achieved >= 95%')]).passed).toBe(true);
  });

  test('probeOutcomeOf: the level as the search sees it', () => {
    const result = levelResult();
    const verdict = judgeLevel(result, [parseThreshold('p99 < 20ms')]);
    const outcome = probeOutcomeOf(250, 'bisect', result, verdict);
    expect(outcome).toMatchObject({
      load: 250,
      phase: 'bisect',
      passed: false,
      failed: verdict.failed,
      seed: 1234,
      p99Micros: result.latency.p99,
      errorRate: 0.03,
      operationsPerSecond: Math.round(result.operationsPerSecond),
    });
  });
});

describe('levelSeed', () => {
  test('deterministic: the same run seed and load give the same level seed', () => {
    expect(levelSeed(42, 100)).toBe(levelSeed(42, 100));
    expect(levelSeed(7, 12_345)).toBe(levelSeed(7, 12_345));
  });

  test('differs between loads and between run seeds', () => {
    const seeds = new Set(Array.from({ length: 1_000 }, (_, k) => levelSeed(42, k + 1)));
    expect(seeds.size).toBe(1_000);
    expect(levelSeed(42, 100)).not.toBe(levelSeed(43, 100));
    expect(levelSeed(42, 100)).not.toBe(levelSeed(42, 101));
  });

  test('a non-negative 31-bit integer', () => {
    for (const [seed, load] of [
      [0, 0],
      [1, 1],
      [0xffffffff, 1e6],
      [-5, 250],
    ] as const) {
      const value = levelSeed(seed, load);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(2 ** 31);
    }
  });
});
