/**
 * `stampede breakpoint`: ramps the load until a threshold fails, bisects to the edge, confirms
 * it with a linear sweep, and reports the maximum sustained level, the breaking point, the safe
 * limit and the curve. `--level L --seed S` reruns one level; `--shrink` searches several knobs
 * at once for the smallest configuration that breaks. Exit 0 done, 1 a level found a wrong
 * result or a broken database, 2 bad usage, 3 (with --level) the level failed a threshold.
 */
import { Option, type Command } from 'commander';
import { BREAKPOINT_DEFAULTS, DEFAULT_LOAD_THRESHOLDS } from '../../config/load-defaults';
import { parseThreshold, ThresholdError, type Threshold } from '../../engine/thresholds';
import { DEFAULT_REPORT_DIR } from '../../report/report-files';
import {
  proberFor,
  runBreakpoint,
  type BreakpointSettings,
  type Knob,
} from '../../scenarios/load/breakpoint-run';
import { formatBreakpoint, writeBreakpointReport } from '../../scenarios/load/breakpoint-report';
import { shrinkBreakingConfig, formatShrunk } from '../../scenarios/load/config-shrink';
import { judgeLevel } from '../../scenarios/load/level-verdict';
import { MIXES, withWriteShare, type MixName } from '../../scenarios/parallel/mixes';
import { targetName, targetSpecOf } from '../../scenarios/parallel/target-spec';
import { EXIT } from '../exit-codes';
import { percentFlag, positiveInteger, positiveNumber, seedFlag } from '../parse-flags';
import { UsageError } from './catalogue';

interface BreakpointFlags {
  knob: Knob;
  threshold?: string[];
  target?: string;
  threads: number;
  lanes: number;
  poolSize: number;
  mix: MixName;
  writePercent?: number;
  levelSeconds: number;
  start: number;
  max: number;
  maxProbes: number;
  sweep: boolean;
  seed?: number;
  level?: number;
  shrink?: boolean;
  json?: boolean;
  out: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerBreakpoint(program: Command): void {
  const d = BREAKPOINT_DEFAULTS;
  program
    .command('breakpoint')
    .description(
      'find the load at which the store breaks (thresholds as data, every level checked)',
    )
    .addOption(
      new Option('--knob <knob>', 'what to ramp: calls/s offered, or concurrent clients')
        .choices(['rate', 'clients'])
        .default('rate'),
    )
    .option(
      '--threshold <expr>',
      `a threshold, repeatable (default: ${DEFAULT_LOAD_THRESHOLDS.join(', ')})`,
      collect,
    )
    .option('--target <module>', 'a planted bug by name, or a module exporting createStore')
    .option('--threads <n>', 'worker threads', positiveInteger('--threads'), d.threads)
    .option('--lanes <n>', 'concurrent calls per thread', positiveInteger('--lanes'), d.lanes)
    .option('--pool-size <n>', 'connections per store', positiveInteger('--pool-size'), d.poolSize)
    .addOption(
      new Option('--mix <name>', 'operation mix').choices(Object.keys(MIXES)).default(d.mix),
    )
    .option('--write-percent <n>', 'scale the mix so this percent of calls write', percentFlag)
    .option(
      '--level-seconds <s>',
      'length of each level',
      positiveNumber('--level-seconds'),
      d.levelSeconds,
    )
    .option('--start <load>', 'first level of the ramp', positiveInteger('--start'))
    .option('--max <load>', 'highest level the ramp tries', positiveInteger('--max'))
    .option(
      '--max-probes <n>',
      'most levels the search measures',
      positiveInteger('--max-probes'),
      d.maxProbes,
    )
    .option('--no-sweep', 'skip the linear sweep that confirms the knee')
    .option('--seed <n>', 'seed of the run; each level derives its own from it', seedFlag)
    .option(
      '--level <load>',
      'measure this one level only (with --seed: rerun it)',
      positiveInteger('--level'),
    )
    .option(
      '--shrink',
      'search workers, lanes, rate, write share and pool size for the smallest breaking configuration',
    )
    .option('--json', 'print the result as JSON')
    .option('--out <dir>', 'folder of report.md, report.json and report.html', DEFAULT_REPORT_DIR)
    .action(async (flags: BreakpointFlags) => {
      const thresholds = parseThresholdFlags(flags.threshold ?? [...DEFAULT_LOAD_THRESHOLDS]);
      const target = targetSpecOf(flags.target);
      const seed = flags.seed ?? (Math.random() * 2 ** 31) | 0;
      const clients = flags.knob === 'clients';
      const settings: BreakpointSettings = {
        ...d,
        target,
        knob: flags.knob,
        threads: flags.threads,
        lanes: flags.lanes,
        poolSize: flags.poolSize,
        mix:
          flags.writePercent === undefined
            ? MIXES[flags.mix]
            : withWriteShare(MIXES[flags.mix], flags.writePercent / 100),
        mixName: flags.mix,
        levelSeconds: flags.levelSeconds,
        thresholds,
        seed,
        start: flags.start ?? (clients ? 1 : d.start),
        max: flags.max ?? (clients ? 256 : d.max),
        min: clients ? 1 : d.min,
        maxProbes: flags.maxProbes,
        sweepSteps: flags.sweep ? d.sweepSteps : 0,
        ...(flags.json
          ? {}
          : {
              onLevel: (outcome) =>
                process.stderr.write(
                  `  ${outcome.phase} ${outcome.load}: ${outcome.passed ? 'pass' : 'fail'}\n`,
                ),
            }),
      };
      if (settings.start > settings.max) {
        throw new UsageError(
          `--start (${settings.start}) must not be above --max (${settings.max})`,
        );
      }
      if (flags.shrink) {
        const shrunk = await shrinkBreakingConfig(settings);
        console.log(flags.json ? JSON.stringify(shrunk, null, 2) : formatShrunk(shrunk));
        process.exitCode = shrunk.wrongResults ? EXIT.failuresFound : EXIT.clean;
        return;
      }
      if (flags.level !== undefined) {
        process.exitCode = await rerunLevel(
          settings,
          flags.level,
          flags.seed !== undefined,
          flags.json,
        );
        return;
      }
      const run = await runBreakpoint(settings, targetName(target));
      const report = writeBreakpointReport(run, flags.out);
      if (flags.json) {
        const { levels, ...rest } = run;
        console.log(
          JSON.stringify(
            { ...rest, levels: levels.map(({ outcome, result }) => ({ ...outcome, result })) },
            null,
            2,
          ),
        );
      } else {
        console.log(formatBreakpoint(run));
        console.log(`  report              ${report}`);
      }
      const wrong = run.levels.some(
        (l) => l.result.check.violations > 0 || l.result.problems.length > 0,
      );
      process.exitCode = wrong ? EXIT.failuresFound : EXIT.clean;
    });
}

function parseThresholdFlags(texts: readonly string[]): Threshold[] {
  try {
    return texts.map((text) => parseThreshold(text));
  } catch (error) {
    if (error instanceof ThresholdError) throw new UsageError(error.message);
    throw error;
  }
}

/** One level, measured once, with its seed taken as given (so `--level L --seed S` reruns it). */
async function rerunLevel(
  settings: BreakpointSettings,
  load: number,
  seedGiven: boolean,
  json: boolean | undefined,
): Promise<number> {
  const prober = await proberFor(settings);
  try {
    const result = await prober.measure(load, seedGiven ? settings.seed : undefined);
    const verdict = judgeLevel(result, settings.thresholds);
    if (json) {
      console.log(JSON.stringify({ load, seed: result.level.seed, verdict, result }, null, 2));
    } else {
      console.log(
        [
          `Stampede breakpoint level ${load} (${settings.knob}), seed ${result.level.seed}`,
          `  ${Math.round(result.operationsPerSecond)} calls/s, p50 ${result.latency.p50}us, ` +
            `p99 ${result.latency.p99}us, p99.9 ${result.latency.p999}us, errors ${(result.errorRate * 100).toFixed(2)}%`,
          `  model check ${result.check.verdict}` +
            (result.check.detail ? `\n${result.check.detail}` : ''),
          ...verdict.thresholds.map((t) => `  ${t.passed ? 'pass' : 'FAIL'} ${t.threshold.text}`),
          ...result.problems.map((p) => `  problem: ${p}`),
          verdict.passed ? 'PASSED' : 'FAILED',
        ].join('\n'),
      );
    }
    if (result.check.violations > 0 || result.problems.length > 0) return EXIT.failuresFound;
    return verdict.passed ? EXIT.clean : EXIT.thresholdsFailed;
  } finally {
    await prober.close();
  }
}
