import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BoundedSeries } from '../src/engine/monitor/bounded-series';
import { GaugeStats } from '../src/engine/monitor/gauge-stats';
import { mergeMonitorPoints, type MonitorPoint } from '../src/engine/monitor/monitor-point';
import { ResourceMonitor, type MonitorSummary } from '../src/engine/monitor/resource-monitor';
import { walBytes } from '../src/engine/monitor/wal-size';

interface SpanPoint {
  readonly elapsedMs: number;
  /** Start of the span the point covers: merged as the earlier one. */
  readonly fromMs: number;
  readonly sum: number;
  readonly peak: number;
}

const mergeSpans = (a: SpanPoint, b: SpanPoint): SpanPoint => ({
  elapsedMs: b.elapsedMs,
  fromMs: Math.min(a.fromMs, b.fromMs),
  sum: a.sum + b.sum,
  peak: Math.max(a.peak, b.peak),
});

function spanAt(ms: number, value = ms): SpanPoint {
  return { elapsedMs: ms, fromMs: ms, sum: value, peak: value };
}

function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin: CPU time and a blocked event loop are the point
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BoundedSeries', () => {
  it('keeps at most its capacity after a million pushes, covering first to last', () => {
    const series = new BoundedSeries(mergeSpans, 512);
    for (let ms = 1; ms <= 1_000_000; ms += 1) {
      series.push(spanAt(ms, 1));
      if (series.length > series.capacity) throw new Error(`${series.length} points at ${ms}`);
    }
    const points = series.points();
    expect(points.length).toBeLessThanOrEqual(512);
    expect(points.length).toBeGreaterThan(256);
    expect(points[0]?.fromMs).toBe(1);
    expect(points.at(-1)?.elapsedMs).toBe(1_000_000);
    // Contiguous spans, nothing dropped: every push is in exactly one point.
    for (let i = 1; i < points.length; i += 1) {
      expect(points[i]?.fromMs).toBe((points[i - 1]?.elapsedMs ?? NaN) + 1);
    }
    expect(points.reduce((total, point) => total + point.sum, 0)).toBe(1_000_000);
  });

  it('merges adjacent pairs when full, then buckets of the new stride (hand-checked)', () => {
    const series = new BoundedSeries(mergeSpans, 4);
    for (const ms of [1, 2, 3]) series.push(spanAt(ms));
    expect(series.points().map((p) => p.sum)).toEqual([1, 2, 3]);
    series.push(spanAt(4)); // full: [1+2, 3+4]
    expect(series.points()).toEqual([
      { elapsedMs: 2, fromMs: 1, sum: 3, peak: 2 },
      { elapsedMs: 4, fromMs: 3, sum: 7, peak: 4 },
    ]);
    series.push(spanAt(5)); // a pending bucket, shown as the last point
    series.push(spanAt(6));
    series.push(spanAt(7));
    expect(series.points().map((p) => [p.elapsedMs, p.sum, p.peak])).toEqual([
      [2, 3, 2],
      [4, 7, 4],
      [6, 11, 6],
      [7, 7, 7],
    ]);
    series.push(spanAt(8)); // full again: stride 4
    expect(series.points().map((p) => [p.fromMs, p.elapsedMs, p.sum])).toEqual([
      [1, 4, 10],
      [5, 8, 26],
    ]);
    expect(series.pushesPerPoint).toBe(4);
  });

  it('gives a merged point the later elapsedMs whatever merge returns', () => {
    const series = new BoundedSeries<SpanPoint>((a) => a, 2);
    series.push(spanAt(10));
    series.push(spanAt(20));
    expect(series.points().map((p) => p.elapsedMs)).toEqual([20]);
  });

  it('refuses a capacity that cannot be halved into whole pairs', () => {
    expect(() => new BoundedSeries(mergeSpans, 3)).toThrow(RangeError);
    expect(() => new BoundedSeries(mergeSpans, 0)).toThrow(RangeError);
  });
});

describe('GaugeStats', () => {
  it('keeps count, min, max, mean, last and percentiles without the samples', () => {
    const stats = new GaugeStats({ scale: 10 });
    expect(stats.summary()).toMatchObject({ count: 0, min: 0, max: 0, mean: 0 });
    for (let v = 1; v <= 100; v += 1) stats.record(v / 2); // 0.5 .. 50
    const summary = stats.summary();
    expect(summary).toMatchObject({ count: 100, min: 0.5, max: 50, last: 50 });
    expect(summary.mean).toBeCloseTo(25.25, 10);
    expect(summary.p50).toBeCloseTo(25, 0);
    expect(summary.p99).toBeGreaterThanOrEqual(49);
    expect(summary.p99).toBeLessThanOrEqual(50);
    expect(() => stats.record(NaN)).toThrow(RangeError);
    stats.reset();
    expect(stats.summary().count).toBe(0);
  });
});

describe('mergeMonitorPoints', () => {
  const point = (over: Partial<MonitorPoint>): MonitorPoint => ({
    elapsedMs: 0,
    samples: 1,
    spanMs: 100,
    cpuPercent: 0,
    elu: 0,
    rssMb: 0,
    heapUsedMb: 0,
    externalMb: 0,
    eventLoopDelayP99Ms: 0,
    eventLoopDelayMaxMs: 0,
    gauges: {},
    ...over,
  });

  it('averages rates by wall time and keeps the peaks of levels and gauges', () => {
    const merged = mergeMonitorPoints(
      point({ elapsedMs: 100, spanMs: 100, cpuPercent: 100, rssMb: 50, gauges: { wal: 10 } }),
      point({ elapsedMs: 400, spanMs: 300, cpuPercent: 0, rssMb: 40, gauges: { busy: 2 } }),
    );
    expect(merged).toMatchObject({ elapsedMs: 400, samples: 2, spanMs: 400, rssMb: 50 });
    expect(merged.cpuPercent).toBeCloseTo(25, 10);
    expect(merged.gauges).toEqual({ wal: 10, busy: 2 });
  });
});

describe('ResourceMonitor', () => {
  it('reads a busy span as far more CPU than a sleeping span of the same length', async () => {
    // CPU time is the whole process's (GC and pool threads too), and a loaded machine slices the
    // busy loop: up to three tries, as a monitor reading the same figure for both fails all three.
    const spans: { busy: number; idle: number }[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const monitor = new ResourceMonitor();
      monitor.sample();
      busyFor(300);
      const busy = monitor.sample();
      await sleep(300);
      const idle = monitor.sample();
      expect(monitor.summary().peaks.peakCpuPercent).toBeGreaterThanOrEqual(busy.cpuPercent);
      spans.push({ busy: busy.cpuPercent, idle: idle.cpuPercent });
      if (busy.cpuPercent > idle.cpuPercent + 25) break;
    }
    const last = spans.at(-1)!;
    expect(last.busy).toBeGreaterThan(last.idle + 25);
  });

  it('shows a blocked event loop in the delay max', async () => {
    const monitor = new ResourceMonitor({ everyMs: 60_000 }); // sampled by hand
    monitor.start();
    try {
      monitor.sample();
      await sleep(100);
      const calm = monitor.sample();
      busyFor(200);
      await sleep(50); // the delay is measured when the loop gets back to its timer
      const blocked = monitor.sample();
      expect(blocked.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(150);
      expect(blocked.eventLoopDelayMaxMs).toBeGreaterThan(calm.eventLoopDelayMaxMs);
      const summary = monitor.summary();
      expect(summary.eventLoopDelay.maxMs).toBeGreaterThanOrEqual(150);
      expect(summary.peaks.eventLoopDelayMaxMs).toBe(summary.eventLoopDelay.maxMs);
      expect(summary.peaks.eluMax).toBeGreaterThan(0.5); // the blocked span kept the loop busy
    } finally {
      monitor.stop();
    }
  });

  it('counts a gauge that throws as a read error, and keeps reading the others', () => {
    const monitor = new ResourceMonitor();
    let reads = 0;
    monitor.addGauge('broken', () => {
      throw new Error('store closed');
    });
    monitor.addGauge('notANumber', () => NaN);
    monitor.addGauge('retries', () => (reads += 1));
    for (let i = 0; i < 3; i += 1) monitor.sample();
    const { gauges, timeline } = monitor.summary();
    expect(gauges.broken).toMatchObject({ count: 0, readErrors: 3, lastError: 'store closed' });
    expect(gauges.notANumber).toMatchObject({ count: 0, readErrors: 3 });
    expect(gauges.retries).toMatchObject({ count: 3, readErrors: 0, min: 1, max: 3, last: 3 });
    expect(gauges.retries?.lastError).toBeUndefined();
    expect(timeline.at(-1)?.gauges).toEqual({ retries: 3 });
    expect(() => monitor.addGauge('retries', () => 0)).toThrow(/already/);
  });

  it('summarises as plain data, and forgets it all on reset', () => {
    const monitor = new ResourceMonitor();
    monitor.addGauge('wal', () => 4096);
    monitor.sample();
    monitor.sample();
    const summary = monitor.summary();
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary.samples).toBe(2);
    expect(summary.peaks.peakRssMb).toBeGreaterThan(0);
    expect(summary.metrics.heapUsedMb.count).toBe(2);
    monitor.reset();
    const after = monitor.summary();
    expect(after.samples).toBe(0);
    expect(after.timeline).toEqual([]);
    expect(after.gauges.wal?.count).toBe(0);
  });

  it('retains the same memory after 200,000 samples as after 20,000', () => {
    const capacity = 64;
    const monitor = new ResourceMonitor({ timelineCapacity: capacity });
    monitor.addGauge('counter', () => monitor.samples);
    const gc = (global as { gc?: () => void }).gc;
    const heapAfterGc = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const sampleTo = (count: number) => {
      while (monitor.samples < count) monitor.sample();
      return { footprint: monitor.footprint(), summary: monitor.summary(), heap: heapAfterGc() };
    };
    const early = sampleTo(20_000);
    const late = sampleTo(200_000);
    expect(late.summary.samples).toBe(200_000);
    expect(late.summary.timeline.length).toBeLessThanOrEqual(capacity);
    // Histograms and gauges the same size; the timeline between half and all of its capacity.
    const { timelinePoints: earlyPoints, ...earlyRest } = early.footprint;
    const { timelinePoints: latePoints, ...lateRest } = late.footprint;
    expect(lateRest).toEqual(earlyRest);
    for (const points of [earlyPoints, latePoints]) {
      expect(points).toBeGreaterThanOrEqual(capacity / 2);
      expect(points).toBeLessThanOrEqual(capacity);
    }
    // Beside the timeline, the summary is the same size whatever the count (digits aside).
    const size = ({ timeline: _timeline, ...rest }: MonitorSummary) => JSON.stringify(rest).length;
    expect(size(late.summary)).toBeLessThan(size(early.summary) * 1.1);
    // The timeline still spans the whole run, and its gauge reached the last count.
    expect(late.summary.timeline.at(-1)?.gauges.counter).toBe(199_999);
    expect(late.summary.timeline.reduce((n, p) => n + p.samples, 0)).toBe(200_000);
    if (gc) expect(late.heap - early.heap).toBeLessThan(1024 * 1024);
  });
});

describe('walBytes', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-wal-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('grows as rows are written to a WAL database, and is 0 once it is gone', () => {
    const dbPath = path.join(dir, 'wal.db');
    const db = new Database(dbPath);
    try {
      expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
      db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const before = walBytes(dbPath);
      const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 2_000; i += 1) insert.run(`row ${i} `.repeat(20));
      })();
      expect(walBytes(dbPath)).toBeGreaterThan(before);
    } finally {
      db.close(); // the last connection checkpoints and removes the log
    }
    expect(walBytes(dbPath)).toBe(0);
  });

  it('is 0 for a database that does not exist, and rethrows other errors', () => {
    expect(walBytes(path.join(dir, 'missing.db'))).toBe(0);
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    expect(() => walBytes(path.join(file, 'inside.db'))).toThrow(/ENOTDIR/);
  });
});
