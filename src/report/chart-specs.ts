/**
 * The report's charts as vega-lite specifications (data inline): pure data in, JSON out, so
 * they can be tested without a browser and rendered by vega-embed in the page.
 */
import type { Report } from './report-schema';

type Spec = Record<string, unknown>;

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly spec: Spec;
}

const WIDTH = 640;
const HEIGHT = 220;

function timeSeries(
  title: string,
  values: readonly Record<string, unknown>[],
  field: string,
  axis: string,
): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: values.length < 60 },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'elapsed (s)' },
      y: { field, type: 'quantitative', title: axis },
      color: { field: 'source', type: 'nominal', title: 'shard' },
    },
  };
}

function heapChart(report: Report): Spec {
  const used = report.timeline.map((s) => ({
    seconds: s.elapsedMs / 1000,
    mb: s.heapUsedMb,
    series: `heap used (${s.source})`,
  }));
  const afterGc = (report.leak?.samples ?? report.heapAfterGc).map((p) => ({
    seconds: p.elapsedMs / 1000,
    mb: p.heapMb,
    series: `after GC (${p.source})`,
  }));
  const layers: Spec[] = [
    { data: { values: used }, mark: { type: 'line', opacity: 0.6 } },
    { data: { values: afterGc }, mark: { type: 'point', filled: true } },
  ];
  const leak = report.leak;
  if (leak && afterGc.length > 0) {
    // The fitted trend the leak engine judged by, drawn over the samples it used.
    const xs = afterGc.map((p) => p.seconds);
    const line = [Math.min(...xs), Math.max(...xs)].map((seconds) => ({
      seconds,
      mb: leak.interceptMb + (leak.slopeMbPerHour * seconds) / 3600,
      series: `trend ${leak.slopeMbPerHour.toFixed(2)} MB/h`,
    }));
    layers.push({ data: { values: line }, mark: { type: 'line', strokeDash: [6, 4] } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Heap (MB)',
    width: WIDTH,
    height: HEIGHT,
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'elapsed (s)' },
      y: { field: 'mb', type: 'quantitative', title: 'MB', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
    layer: layers,
  };
}

function breakpointChart(report: Report): Spec | undefined {
  const section = report.breakpoint;
  const points = [...(section?.points ?? [])].sort((a, b) => a.load - b.load);
  if (points.length === 0) return undefined;
  const verdict = (passed: boolean | undefined) =>
    passed === undefined ? 'measured' : passed ? 'pass' : 'fail';
  const values = points.flatMap((p) => [
    { load: p.load, value: p.operationsPerSecond, measure: 'ops/s', verdict: verdict(p.passed) },
    { load: p.load, value: p.p99Micros / 1000, measure: 'p99 (ms)', verdict: verdict(p.passed) },
  ]);
  const unit = section?.unit ?? 'load';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title:
      section?.maxSustained !== undefined && section.maxSustained !== null
        ? `Breakpoint: max sustained ${section.maxSustained}, breaking ${section.breakingLoad ?? 'never'} (${unit})`
        : 'Breakpoint: throughput and p99 as load grows',
    data: { values },
    facet: { row: { field: 'measure', type: 'nominal', title: null } },
    spec: {
      width: WIDTH,
      height: HEIGHT / 1.5,
      layer: [
        {
          mark: { type: 'line', color: '#888' },
          encoding: {
            x: { field: 'load', type: 'quantitative', title: unit },
            y: { field: 'value', type: 'quantitative', title: null },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x: { field: 'load', type: 'quantitative', title: unit },
            y: { field: 'value', type: 'quantitative', title: null },
            color: {
              field: 'verdict',
              type: 'nominal',
              scale: {
                domain: ['pass', 'fail', 'measured'],
                range: ['#2a9d4b', '#d62728', '#1f77b4'],
              },
              title: 'thresholds',
            },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export function chartSpecs(report: Report): ChartSpec[] {
  const series = report.timeline.map((s) => ({
    seconds: s.elapsedMs / 1000,
    source: s.source,
    opsPerSecond: s.operationsPerSecond,
    p99Ms: s.p99Micros / 1000,
  }));
  const charts: ChartSpec[] = [
    {
      id: 'throughput',
      title: 'Throughput',
      spec: timeSeries('Operations per second', series, 'opsPerSecond', 'ops/s'),
    },
    {
      id: 'p99',
      title: 'p99 latency',
      spec: timeSeries('p99 latency of calls (ms)', series, 'p99Ms', 'ms'),
    },
    { id: 'heap', title: 'Heap', spec: heapChart(report) },
  ];
  const breakpoint = breakpointChart(report);
  if (breakpoint) charts.push({ id: 'breakpoint', title: 'Breakpoint', spec: breakpoint });
  return charts;
}
