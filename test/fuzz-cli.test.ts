/** `stampede fuzz` as a user runs it: the three reports, progress, and stopping on a signal. */
import fs from 'node:fs';
import path from 'node:path';
import { readReport } from '../src/report/report-files';
import { scratchDir, spawnStampede, stampedeHere, stampedeIn } from './helpers/stampede-cli';

test('a fuzz run writes report.md, report.json and report.html and exits 0', () => {
  const cwd = scratchDir('fuzz');
  // One seed per engine, whatever the machine's speed: --rounds ends it, not the clock. The
  // in-process engines only: the parallel and leak adapters have their own tests.
  const { code, out } = stampedeIn(
    cwd,
    ...['fuzz', '--rounds', '1', '--for', '10m', '--cases-per-seed', '20'],
    ...['--engines', 'sequential,interleaved'],
  );
  expect(code).toBe(0);
  expect(out).toContain('Stampede fuzz completed: PASSED');
  const dir = path.join(cwd, 'stampede-report');
  const report = readReport(dir); // validated against the schema
  expect(report.status).toBe('completed');
  expect(report.passed).toBe(true);
  expect(report.scenarios.map((s) => [s.name, s.cases])).toEqual([
    ['sequential', 20],
    ['interleaved', 20],
  ]);
  for (const s of report.scenarios) {
    expect(s.operations).toBeGreaterThan(0);
    expect(s.latencyMicros.count).toBeGreaterThan(0);
    expect(s.latencyMicros.p99).toBeGreaterThanOrEqual(s.latencyMicros.p50);
  }
  expect(report.timeline.length).toBeGreaterThan(0);
  const markdown = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
  expect(markdown).toMatch(/\| sequential \| ✓ \|/);
  expect(markdown).toMatch(/p99\.9/);
  const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
  expect(html).toContain('id="chart-throughput"');
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

/** Starts a long fuzz run, signals it when `ready` matches its output, and times the exit. */
function stopWith(signal: NodeJS.Signals, ready: RegExp) {
  const cwd = scratchDir('fuzz-signal');
  const child = spawnStampede(
    cwd,
    ...['fuzz', '--for', '10m', '--progress-every', '1s', '--checkpoint', '1s'],
  );
  const json = path.join(cwd, 'stampede-report', 'report.json');
  return new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    ms: number;
    out: string;
    cwd: string;
    checkpoint: string | undefined;
  }>((resolve) => {
    let out = '';
    let sentAt = 0;
    let checkpoint: string | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (sentAt === 0 && ready.test(out)) {
        checkpoint = fs.existsSync(json) ? readReport(json).status : undefined;
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    child.on('exit', (code, signal) =>
      resolve({ code, signal, ms: performance.now() - sentAt, out, cwd, checkpoint }),
    );
  });
}

test.each([
  ['SIGINT', 'as soon as it starts', /Stampede fuzz:/],
  ['SIGINT', 'in the middle of the run', /progress: .*progress: /s],
  ['SIGTERM', 'in the middle of the run', /progress: /],
] as const)('%s %s leaves a complete final report within 5 s', async (signal, _when, ready) => {
  const { code, signal: killedBy, ms, out, cwd } = await stopWith(signal, ready);
  expect(out).toContain(`${signal}: stopping`);
  if (ready.source.includes('progress')) {
    // Not a terminal here: plain progress lines, every --progress-every.
    expect(out).toMatch(
      /progress: elapsed \d+s \| cases [\d,]+ \| [\d,]+ ops\/s \| failures 0 \| heap .* \| ETA \d/,
    );
  }
  expect(ms).toBeLessThan(5_000);
  // A process killed by a signal (a crash on the way out) has no code: name the signal.
  expect({ code, killedBy }).toEqual({ code: 130, killedBy: null });
  const report = readReport(path.join(cwd, 'stampede-report'));
  expect(report.status).toBe('interrupted');
  for (const file of ['report.md', 'report.html']) {
    expect(fs.readFileSync(path.join(cwd, 'stampede-report', file), 'utf8')).toContain(
      'interrupted',
    );
  }
});

test.each([
  [['fuzz', '--for', 'soon'], /--for must be a duration such as 90s, 2m, 8h/],
  [['fuzz', '--shard', '3/2', '--seed', '1'], /--shard must look like "2\/4"/],
  [['fuzz', '--shard', '1/2'], /--shard needs --seed/],
  [['fuzz', '--engines', 'sequential,quantum'], /--engines takes a comma-separated list/],
  [['fuzz', '--target', 'no/such/module.ts'], /Cannot load target module/],
])('fuzz: bad usage %j exits 2 with a clear message', async (args, message) => {
  const { code, err } = await stampedeHere(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});
