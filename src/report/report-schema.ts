/**
 * The JSON report of a run (`report.json`), versioned and validated with zod; documented in
 * docs/REPORT.md. The Markdown and HTML reports are rendered from this object alone, so a
 * merged report renders exactly like a single one.
 */
import { z } from 'zod';

export const REPORT_FORMAT = 'stampede-report';
export const REPORT_VERSION = 1;

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();
const seed = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 32 - 1);

export const shardSchema = z.strictObject({
  index: z.number().int().positive(),
  count: z.number().int().positive(),
});

/** Percentiles of call latency in microseconds, from an HDR histogram. */
export const latencySchema = z.strictObject({
  count,
  mean: ms,
  p50: ms,
  p90: ms,
  p99: ms,
  p999: ms,
  max: ms,
  /** The whole histogram (hdr-histogram-js compressed base64), so reports merge exactly. */
  histogram: z.string().max(10_000_000),
});

export const scenarioSchema = z.strictObject({
  /** The engine: sequential, interleaved, (later) parallel, leak... */
  name: z.string().min(1).max(40),
  passed: z.boolean(),
  cases: count,
  operations: count,
  /** Typed errors the model predicted (refusals), and BUSY give-ups of interleaved workers. */
  errors: count,
  /** Distinct failures found by this engine. */
  failures: count,
  /** Time spent in this engine's batches. */
  engineMs: ms,
  operationsPerSecond: ms,
  errorRate: z.number().min(0).max(1),
  latencyMicros: latencySchema,
});

/** One engine batch: one seed, up to N cases. */
export const batchSchema = z.strictObject({
  round: count,
  engine: z.string().min(1).max(40),
  seed,
  cases: count,
  operations: count,
  errors: count,
  durationMs: ms,
  failed: z.boolean(),
  /** What the batch saw that is not a failure (e.g. native growth a fresh process did not show). */
  note: z.string().max(2000).optional(),
});

/** A sample of the run over time, one series per shard (`source`). */
export const samplePointSchema = z.strictObject({
  source: z.string().max(40),
  elapsedMs: ms,
  cases: count,
  operations: count,
  operationsPerSecond: ms,
  /** p99 of the calls made since the previous sample (0 when there were none). */
  p99Micros: ms,
  heapUsedMb: ms,
  rssMb: ms,
  cpuPercent: ms,
});

export const heapPointSchema = z.strictObject({
  source: z.string().max(40),
  elapsedMs: ms,
  heapMb: ms,
});

export const laneOpSchema = z.strictObject({
  worker: count,
  invoke: z.number(),
  /** null: the call never returned. */
  response: z.number().nullable(),
  call: z.string(),
  outcome: z.string(),
  mark: z.strictObject({ expected: z.string(), observed: z.string() }).optional(),
});

export const failureSchema = z.strictObject({
  /** Hash of the engine and the shrunk case: equal keys are the same failure. */
  key: z.string().regex(/^[0-9a-f]{16}$/),
  engine: z.string().min(1).max(40),
  property: z.string().max(64),
  seed,
  path: z.string().max(10_000),
  round: count,
  /** The shrunk case as people read it. */
  summary: z.string(),
  calls: count.nullable(),
  /** Replays exactly this case (exit 1 while the bug is there, 0 once fixed). */
  replay: z.string(),
  savedFile: z.string().nullable(),
  /** How many batches found this same shrunk case. */
  occurrences: z.number().int().positive(),
  lanes: z
    .strictObject({ workers: z.number().int().positive(), ops: z.array(laneOpSchema) })
    .nullable(),
});

/** Filled by a leak-watching engine: heap after GC and its fitted trend. */
export const leakSectionSchema = z.strictObject({
  samples: z.array(heapPointSchema),
  slopeMbPerHour: z.number(),
  interceptMb: z.number(),
  verdict: z.enum(['leak', 'no-leak', 'inconclusive']),
});

/** Filled by a breakpoint engine: throughput and latency as load grows. */
export const breakpointSectionSchema = z.strictObject({
  points: z.array(
    z.strictObject({
      load: z.number().nonnegative(),
      operationsPerSecond: ms,
      p99Micros: ms,
      errorRate: z.number().min(0).max(1),
      /** Whether every threshold held at this level (absent in reports before it was kept). */
      passed: z.boolean().optional(),
      phase: z.enum(['ramp', 'bisect', 'sweep']).optional(),
      /** Reruns this level alone: `stampede breakpoint --level <load> --seed <seed>`. */
      seed: seed.optional(),
      /** Thresholds that failed here, with what was observed. */
      failed: z.array(z.string().max(2_000)).max(100).optional(),
    }),
  ),
  /** The load where a threshold first failed, if one did. */
  breakingLoad: z.number().nonnegative().nullable(),
  /** What was ramped (rate: calls/s offered; clients: concurrent callers) and its unit. */
  knob: z.string().max(40).optional(),
  unit: z.string().max(40).optional(),
  thresholds: z.array(z.string().max(200)).max(100).optional(),
  maxSustained: z.number().nonnegative().nullable().optional(),
  /** 80% of the maximum sustained load. */
  safeLimit: z.number().nonnegative().nullable().optional(),
  /** The thresholds that failed at the breaking load: what gave way first. */
  firstFailed: z.array(z.string().max(2_000)).max(100).optional(),
  /** The knee of the linear sweep run to confirm the search, and how far apart they are. */
  sweepKnee: z.number().nonnegative().nullable().optional(),
  agreement: z.number().nonnegative().nullable().optional(),
});

export const reportSchema = z.strictObject({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  kind: z.enum(['fuzz', 'run']),
  status: z.enum(['running', 'completed', 'interrupted']),
  target: z.string().max(500),
  baseSeed: seed,
  shards: z.array(shardSchema).min(1),
  startedAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  /** Wall-clock time (for merged shards: the longest). */
  wallMs: ms,
  passed: z.boolean(),
  totals: z.strictObject({ cases: count, operations: count, errors: count, failures: count }),
  resources: z.strictObject({ peakRssMb: ms, peakHeapUsedMb: ms, peakCpuPercent: ms }),
  scenarios: z.array(scenarioSchema),
  batches: z.array(batchSchema),
  timeline: z.array(samplePointSchema),
  heapAfterGc: z.array(heapPointSchema),
  failures: z.array(failureSchema),
  leak: leakSectionSchema.optional(),
  breakpoint: breakpointSectionSchema.optional(),
});

export type Report = z.infer<typeof reportSchema>;
export type ScenarioReport = z.infer<typeof scenarioSchema>;
export type BatchRecord = z.infer<typeof batchSchema>;
export type SamplePoint = z.infer<typeof samplePointSchema>;
export type HeapPoint = z.infer<typeof heapPointSchema>;
export type FailureRecord = z.infer<typeof failureSchema>;
export type LeakSection = z.infer<typeof leakSectionSchema>;
export type BreakpointSection = z.infer<typeof breakpointSectionSchema>;
