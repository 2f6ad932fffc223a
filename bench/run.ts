/**
 * `npm run bench [-- --seconds N]`: runs every benchmark section, prints one table and writes
 * bench/results.json. Figures are throughput ratios measured in this run on this machine; the
 * absolute numbers are only there to read the ratios by. BENCH_TRACE=1 also prints every timed
 * slice to stderr, to see how noisy the machine was.
 *
 * A section is a name and a function returning rows; add new ones (parallel engine, checker)
 * to SECTIONS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchChecker, benchParallel, type CheckerRow } from './parallel';
import { benchStoreVsRaw, type BenchRow } from './store-vs-raw';

interface SectionOptions {
  readonly seconds: number;
}

interface Section {
  readonly name: string;
  run(options: SectionOptions): Promise<BenchRow[]>;
}

const SECTIONS: readonly Section[] = [
  { name: 'store vs raw better-sqlite3', run: (options) => benchStoreVsRaw(options) },
  {
    name: 'parallel engine vs raw threads',
    run: (options) =>
      benchParallel({
        seconds: options.seconds,
        threads: Math.max(2, os.availableParallelism()),
        // Five alternating rounds: one side's 2-second figure moved up to 1.6x between rounds
        // a minute apart on the shared machine, and a median of five holds still better.
        repetitions: 5,
      }),
  },
];

const DEFAULT_SECONDS = 2;
const RESULTS_PATH = path.join(__dirname, 'results.json');

function parseSeconds(argv: readonly string[]): number {
  const index = argv.findIndex((arg) => arg === '--seconds' || arg.startsWith('--seconds='));
  if (index < 0) return DEFAULT_SECONDS;
  const arg = argv[index] as string;
  const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const seconds = Number(text);
  if (text === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`--seconds wants a positive number, got ${JSON.stringify(text ?? '')}`);
  }
  return seconds;
}

const opsFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function cells(row: BenchRow): string[] {
  return [
    row.name,
    opsFormat.format(row.rawOpsPerSec),
    opsFormat.format(row.storeOpsPerSec),
    row.ratio.toFixed(2),
  ];
}

function table(sections: readonly { name: string; rows: readonly BenchRow[] }[]): string {
  const header = ['benchmark', 'raw ops/s', 'store ops/s', 'store/raw'];
  const all = sections.flatMap((section) => section.rows.map(cells));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...all.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: readonly string[]) =>
    line
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ');
  const out: string[] = [];
  for (const section of sections) {
    out.push(`== ${section.name}`, format(header), widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of section.rows) out.push(format(cells(row)));
    out.push('');
  }
  return out.join('\n');
}

function checkerTable(rows: readonly CheckerRow[]): string {
  const out = [
    '== checker (fast path) on recorded histories',
    'workers  calls    check ms  verdict',
  ];
  for (const r of rows) {
    out.push(
      `${String(r.workers).padStart(7)}  ${String(r.operations).padStart(7)}  ` +
        `${r.checkMs.toFixed(1).padStart(8)}  ${r.verdict}`,
    );
  }
  return `${out.join('\n')}\n\n`;
}

async function main(): Promise<void> {
  const seconds = parseSeconds(process.argv.slice(2));
  const results: { name: string; rows: BenchRow[] }[] = [];
  for (const section of SECTIONS) {
    process.stderr.write(`running ${section.name} (${seconds} s per side and workload)...\n`);
    results.push({ name: section.name, rows: await section.run({ seconds }) });
  }
  process.stdout.write(table(results));
  process.stderr.write('running the checker on recorded histories...\n');
  const checker = await benchChecker();
  process.stdout.write(checkerTable(checker));
  const report = {
    machine: { cpus: os.cpus().length, node: process.version },
    date: new Date().toISOString(),
    rows: results.flatMap((section) =>
      section.rows.map((row) => ({ section: section.name, ...row })),
    ),
    checker,
  };
  fs.writeFileSync(RESULTS_PATH, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), RESULTS_PATH)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
