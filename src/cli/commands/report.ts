/** `stampede report merge A B ... --out DIR`: the reports of a run's shards as one report. */
import path from 'node:path';
import type { Command } from 'commander';
import { MergeError, mergeReports } from '../../report/merge-reports';
import {
  DEFAULT_REPORT_DIR,
  readReport,
  ReportFileError,
  writeReport,
} from '../../report/report-files';
import { EXIT } from '../exit-codes';
import { UsageError } from './catalogue';

export function registerReport(program: Command): void {
  const report = program.command('report').description('work with reports written by fuzz and run');
  report
    .command('merge')
    .description("join shards' reports (folders or report.json files) into one report")
    .argument('<reports...>', 'report folders or report.json files')
    .option(
      '--out <dir>',
      'folder for the merged report.md, report.json and report.html',
      DEFAULT_REPORT_DIR,
    )
    .action((inputs: string[], flags: { out: string }) => {
      let merged;
      try {
        merged = mergeReports(inputs.map(readReport));
      } catch (error) {
        if (error instanceof ReportFileError || error instanceof MergeError) {
          throw new UsageError(error.message);
        }
        throw error;
      }
      const files = writeReport(flags.out, merged);
      console.log(
        `Merged ${inputs.length} report(s): ${merged.passed ? 'PASSED' : 'FAILED'}, ` +
          `${merged.totals.cases} cases, ${merged.totals.operations} operations, ` +
          `${merged.failures.length} distinct failure(s)\nreport: ${path.relative(process.cwd(), files.markdown)} (and .json, .html)`,
      );
      process.exitCode = merged.passed ? EXIT.clean : EXIT.failuresFound;
    });
}
