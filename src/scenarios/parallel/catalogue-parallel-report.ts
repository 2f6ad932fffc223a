/** The parallel engine's lines of the catalogue report, and which engine caught each bug. */
import type { CatalogueRow } from '../catalogue-run';
import type { ParallelCatalogueRow } from './catalogue-parallel';

export function formatParallelRows(
  rows: readonly CatalogueRow[],
  parallel: readonly ParallelCatalogueRow[],
  correct: { readonly runs: number; readonly failures: number } | undefined,
): string[] {
  if (parallel.length === 0) return [];
  const ms = (v: number | undefined) =>
    v === undefined ? '-' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
  const table = [
    ['bug', 'parallel caught', 'catch', 'witness calls', 'replayed deterministically'],
    ...parallel.map((row) => [
      row.name,
      `${row.caught}/${row.seeds}`,
      ms(row.medianTimeToCatchMs),
      row.medianWitnessCalls === undefined ? '-' : String(row.medianWitnessCalls),
      `${row.reproduced}/${row.caught}`,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = [
    '',
    'Parallel engine (real worker threads, one WAL file; catch = run and check time to the failing round):',
    ...table.map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
    '',
    'caught by:',
  ];
  const names = [...new Set([...rows.map((r) => r.name), ...parallel.map((r) => r.name)])];
  for (const name of names) {
    const engines: string[] = [];
    const row = rows.find((r) => r.name === name);
    if (row !== undefined)
      engines.push(`${row.engine} ${row.stampede.caught}/${row.stampede.seeds}`);
    const p = parallel.find((r) => r.name === name);
    if (p !== undefined) engines.push(`parallel ${p.caught}/${p.seeds}`);
    lines.push(`  ${name}: ${engines.join(', ')}`);
  }
  if (correct !== undefined) {
    lines.push(
      '',
      `correct store through the parallel engine: ${correct.failures} failure(s) in ${correct.runs} runs`,
    );
  }
  return lines;
}
