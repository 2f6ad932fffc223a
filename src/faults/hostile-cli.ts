/**
 * Hostile command lines, run in-process through `main(argv)`: every generated argv carries at
 * least one thing wrong (a bad flag value, an unknown option or command, a stray argument), so
 * each must end with exit code 2 and a message on stderr; never a throw, never exit code 4,
 * never a raw control character echoed to the terminal.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { CATALOGUE } from '../../catalogue';
import { main } from '../cli/main';
import {
  pathFlag,
  percentFlag,
  positiveInteger,
  positiveNumber,
  seedFlag,
} from '../cli/parse-flags';
import { parseThreshold } from '../engine/thresholds';
import { PRESET_NAMES } from '../scenarios/load/presets';
import { hostileString } from './hostile-values';

export interface HostileCliFigures {
  inputs: number;
  /** main threw, returned anything but 2, or said nothing on stderr. */
  crashes: number;
  problems: string[];
}

const accepts = (parse: (raw: string) => unknown) => (raw: string) => {
  try {
    parse(raw);
    return true;
  } catch {
    return false;
  }
};
const existing = (raw: string) => raw === '' || fs.existsSync(path.resolve(raw));
const oneOf = (values: readonly string[]) => (raw: string) => values.includes(raw);
const positive = (flag: string) => accepts(positiveInteger(flag));

/** Flags that take a value, per command, with the test of a value they would accept. */
const VALUE_FLAGS: Readonly<Record<string, Readonly<Record<string, (raw: string) => boolean>>>> = {
  run: {
    '--seconds': positive('--seconds'),
    '--seed': accepts(seedFlag),
    '--path': accepts(pathFlag),
    '--max-commands': positive('--max-commands'),
    '--target': existing,
    '--preset': oneOf([...PRESET_NAMES, 'all']),
    '--threshold': accepts(parseThreshold),
  },
  catalogue: {
    '--seeds': positive('--seeds'),
    '--seed': accepts(seedFlag),
    '--only': (raw) =>
      raw.split(',').every((name) => CATALOGUE.some((b) => b.name === name.trim())),
    '--target': existing,
    '--schedule': oneOf(['mixed', 'pct', 'random', 'points']),
    '--time-limit': positive('--time-limit'),
  },
  breakpoint: {
    '--knob': oneOf(['rate', 'clients']),
    '--threshold': accepts(parseThreshold),
    '--target': existing,
    '--threads': positive('--threads'),
    '--lanes': positive('--lanes'),
    '--pool-size': positive('--pool-size'),
    '--mix': oneOf(['write-heavy', 'read-heavy', 'mixed']),
    '--write-percent': accepts(percentFlag),
    '--level-seconds': accepts(positiveNumber('--level-seconds')),
    '--start': positive('--start'),
    '--max': positive('--max'),
    '--max-probes': positive('--max-probes'),
    '--seed': accepts(seedFlag),
    '--level': positive('--level'),
    '--out': () => true,
  },
  faults: {
    '--kills': positive('--kills'),
    '--cycles': positive('--cycles'),
    '--hostile': positive('--hostile'),
    '--seed': accepts(seedFlag),
  },
};
const COMMANDS = Object.keys(VALUE_FLAGS);
/** Flags without a value: drawn as "unknown options" they would be valid, not poison. */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  '--json',
  '--no-anchor',
  '--no-sweep',
  '--shrink',
]);
/** Tokens that ask for help (exit 0 by design) are no poison. */
const isHelp = (token: string) => token === '-h' || token.startsWith('--help') || token === 'help';

const commandArb = fc.constantFrom(...COMMANDS);

/** One wrong thing for `command`. */
function poison(command: string): fc.Arbitrary<string[]> {
  const flags = VALUE_FLAGS[command] ?? {};
  const badValue = fc
    .tuple(fc.constantFrom(...Object.keys(flags)), hostileString, fc.boolean())
    .filter(([flag, value]) => !(flags[flag] as (raw: string) => boolean)(value) && !isHelp(value))
    .map(([flag, value, joined]) => (joined ? [`${flag}=${value}`] : [flag, value]));
  // `--` alone ends the options: it is no unknown option.
  const unknownOption = hostileString
    .filter((name) => name !== '' && !name.startsWith('='))
    .map((name) => `--${name}`)
    .filter(
      (token) =>
        !isHelp(token) && !((token.split('=')[0] as string) in flags) && !BOOLEAN_FLAGS.has(token),
    )
    .map((token) => [token]);
  const strayArgument = hostileString
    .filter((token) => !token.startsWith('-'))
    .map((token) => [token]);
  return fc.oneof(badValue, unknownOption, strayArgument);
}

const validNoise: Readonly<Record<string, readonly string[][]>> = {
  run: [['--json'], ['--seconds', '1'], ['--seed', '7'], ['--max-commands', '3']],
  catalogue: [['--json'], ['--seeds', '1'], ['--no-anchor'], ['--schedule', 'pct']],
  faults: [['--json'], ['--kills', '1'], ['--seed', '3']],
  breakpoint: [['--json'], ['--seed', '7'], ['--no-sweep'], ['--level-seconds', '0.5']],
};

export const hostileArgv: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: commandArb.chain((command) =>
      fc
        .tuple(poison(command), fc.subarray([...(validNoise[command] ?? [])]), fc.nat())
        .map(([bad, noise, at]) => {
          const parts = [...noise];
          parts.splice(at % (parts.length + 1), 0, bad);
          return [command, ...parts.flat()];
        }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileString, fc.array(hostileString, { maxLength: 3 }))
      .filter(([command]) => !COMMANDS.includes(command) && !isHelp(command))
      .map(([command, rest]) => [command, ...rest.filter((t) => !isHelp(t))]),
  },
);

export async function runHostileCli(inputs: number, seed: number): Promise<HostileCliFigures> {
  const figures: HostileCliFigures = { inputs: 0, crashes: 0, problems: [] };
  const details = await fc.check(
    fc.asyncProperty(hostileArgv, async (argv) => {
      figures.inputs += 1;
      const { code, stderr, thrown } = await captured(argv);
      const wrong =
        thrown !== undefined
          ? `threw ${thrown}`
          : code !== 2
            ? `exited ${code}`
            : stderr.trim() === ''
              ? 'exited 2 without a message'
              : // eslint-disable-next-line no-control-regex
                /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(stderr)
                ? `echoed a control character: ${JSON.stringify(stderr.slice(0, 200))}`
                : undefined;
      if (wrong === undefined) return true;
      figures.crashes += 1;
      if (figures.problems.length < 10) figures.problems.push(`${JSON.stringify(argv)}: ${wrong}`);
      return false;
    }),
    { numRuns: inputs, seed, endOnFailure: true },
  );
  if (details.failed && details.counterexample !== null) {
    figures.problems.push(`smallest failing argv: ${JSON.stringify(details.counterexample[0])}`);
  }
  return figures;
}

/** Runs main with stdout and stderr captured (commander writes through both streams). */
async function captured(argv: string[]) {
  const writes = {
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    error: console.error,
  };
  let stderr = '';
  const collect = (chunk: unknown) => {
    stderr += String(chunk);
    return true;
  };
  process.stderr.write = collect as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  console.error = (...args: unknown[]) => collect(`${args.map(String).join(' ')}\n`);
  const exitCode = process.exitCode;
  try {
    return { code: await main(argv), stderr, thrown: undefined };
  } catch (error) {
    return { code: undefined, stderr, thrown: String(error) };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    console.error = writes.error;
    process.exitCode = exitCode;
  }
}
