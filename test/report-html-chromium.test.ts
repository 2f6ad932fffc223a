/**
 * The HTML report opened in headless Chromium: every chart renders (an SVG with drawn marks),
 * the failure lanes are there, nothing is fetched from the network and nothing is logged as an
 * error. Screenshots go to tmp/test-output/report-html/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildReport } from '../src/report/report-builder';
import { encodeHistogram, newHistogram, recordMicros } from '../src/report/latency';
import { writeReport } from '../src/report/report-files';
import type { SamplePoint } from '../src/report/report-schema';
import { vegaBundles } from '../src/report/vega-assets';
import { chromiumMissing, launchChromium, type Browser } from './helpers/headless-chromium';
import { ROOT, stampedeIn } from './helpers/stampede-cli';

const OUTPUT = path.join(ROOT, 'tmp', 'test-output', 'report-html');
const missing =
  chromiumMissing() ??
  (vegaBundles() === null ? 'vega packages are not installed (npm install)' : undefined);

/** Everything a report can show: both engines, a failure with lanes, leak and breakpoint data. */
function fullReport() {
  const h = newHistogram();
  for (let i = 1; i <= 500; i += 1) recordMicros(h, i * 13);
  const timeline: SamplePoint[] = Array.from({ length: 20 }, (_, i) => ({
    source: '1/1',
    elapsedMs: (i + 1) * 1000,
    cases: i * 50,
    operations: i * 900,
    operationsPerSecond: 900 + ((i * 37) % 200),
    p99Micros: 3000 + ((i * 911) % 2000),
    heapUsedMb: 30 + i * 0.4,
    rssMb: 120 + i,
    cpuPercent: 80 + (i % 5),
  }));
  const samples = timeline.map((t) => ({
    source: '1/1',
    elapsedMs: t.elapsedMs,
    heapMb: 25 + t.elapsedMs / 10_000,
  }));
  return buildReport({
    kind: 'fuzz',
    status: 'completed',
    target: 'catalogue/lost-update-points.ts <script>alert(1)</script>',
    baseSeed: 1,
    shards: [{ index: 1, count: 1 }],
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:20.000Z',
    wallMs: 20_000,
    batches: [
      {
        round: 0,
        engine: 'sequential',
        seed: 1,
        cases: 100,
        operations: 2000,
        errors: 900,
        durationMs: 9000,
        failed: false,
      },
      {
        round: 0,
        engine: 'interleaved',
        seed: 1,
        cases: 40,
        operations: 300,
        errors: 2,
        durationMs: 9000,
        failed: true,
      },
    ],
    latency: { sequential: [encodeHistogram(h)], interleaved: [encodeHistogram(h)] },
    timeline,
    heapAfterGc: samples,
    failures: [
      {
        key: '0123456789abcdef',
        engine: 'interleaved',
        property: 'tracker-interleaved',
        seed: 1,
        path: '3:1',
        round: 0,
        summary: "No ordering of the workers' calls explains what they observed </pre><b>x</b>",
        calls: 6,
        replay: 'npx stampede replay --engine interleaved --seed 1 --path 3:1',
        savedFile: '.stampede/failures/tracker-interleaved-1-abcdef01.json',
        occurrences: 2,
        lanes: {
          workers: 2,
          ops: [
            {
              worker: 0,
              invoke: 2,
              response: 26,
              call: 'store.completeTask(2)',
              outcome: 'ok (id 2)',
            },
            {
              worker: 1,
              invoke: 8,
              response: 16,
              call: 'store.completeTask(1)',
              outcome: 'ok (id 1)',
              mark: { expected: 'pointsEarned = 2', observed: 'pointsEarned = 1' },
            },
            {
              worker: 1,
              invoke: 30,
              response: null,
              call: 'store.getEpic(1)',
              outcome: 'never returned',
            },
          ],
        },
      },
    ],
    leak: { samples, slopeMbPerHour: 360, interceptMb: 25, verdict: 'leak' },
    breakpoint: {
      points: [1, 2, 4, 8].map((load) => ({
        load,
        operationsPerSecond: 1000 * Math.min(load, 4),
        p99Micros: 1000 * load * load,
        errorRate: load > 4 ? 0.1 : 0,
      })),
      breakingLoad: 8,
    },
  });
}

async function render(browser: Browser, file: string, screenshot: string) {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
      problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  await page.evaluate(() =>
    (globalThis as unknown as { stampedeCharts: Promise<unknown> }).stampedeCharts.then(() => true),
  );
  await page.screenshot({ path: screenshot, fullPage: true });
  return { page, problems };
}

if (missing !== undefined) {
  test.skip(`HTML report in headless Chromium: skipped, ${missing}`, () => undefined);
} else {
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  test('every chart of a full report renders, with the failure lanes, offline and without errors', async () => {
    const dir = path.join(OUTPUT, 'full');
    const files = writeReport(dir, fullReport());
    const { page, problems } = await render(browser, files.html, path.join(OUTPUT, 'full.png'));
    for (const id of ['throughput', 'p99', 'heap', 'breakpoint']) {
      expect(await page.locator(`#chart-${id} svg`).count()).toBe(1);
      // Drawn marks, not an empty frame: lines or symbols inside the chart.
      expect(
        await page
          .locator(`#chart-${id} svg .mark-line path, #chart-${id} svg .mark-symbol path`)
          .count(),
      ).toBeGreaterThan(0);
    }
    expect(await page.locator('.lanes .op.bad').count()).toBe(1);
    expect(await page.locator('.lanes .op.pending').count()).toBe(1);
    // Text from the report is shown, never interpreted.
    expect(await page.locator('b').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(fs.statSync(path.join(OUTPUT, 'full.png')).size).toBeGreaterThan(10_000);
  });

  test('the report of a real fuzz run renders its charts', async () => {
    const out = path.join(OUTPUT, 'fuzz');
    const run = stampedeIn(
      ROOT,
      ...['fuzz', '--rounds', '1', '--for', '10m', '--cases-per-seed', '10', '--out', out],
    );
    expect(run.code).toBe(0);
    const { page, problems } = await render(
      browser,
      path.join(out, 'report.html'),
      path.join(OUTPUT, 'fuzz.png'),
    );
    for (const id of ['throughput', 'p99', 'heap']) {
      expect(await page.locator(`#chart-${id} svg`).count()).toBe(1);
    }
    expect(problems).toEqual([]);
  });

  test('the report of a real breakpoint run draws its curve, passing and failing levels apart', async () => {
    const out = path.join(OUTPUT, 'breakpoint');
    const run = stampedeIn(
      ROOT,
      ...['breakpoint', '--target', 'lock-across-await', '--start', '200', '--max', '1600'],
      ...['--level-seconds', '0.5', '--max-probes', '5', '--no-sweep', '--seed', '3', '--out', out],
    );
    expect(run.code).toBe(0);
    const { page, problems } = await render(
      browser,
      path.join(out, 'report.html'),
      path.join(OUTPUT, 'breakpoint.png'),
    );
    expect(await page.locator('#chart-breakpoint svg').count()).toBe(1);
    // One symbol per level and measure: failing levels are drawn, not only passing ones.
    expect(
      await page.locator('#chart-breakpoint svg .mark-symbol path').count(),
    ).toBeGreaterThanOrEqual(6);
    expect(problems).toEqual([]);
  });
}
