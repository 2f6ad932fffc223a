/**
 * Hostile saved-failure files and configuration: a file planted in `.stampede/failures/` (not
 * JSON, truncated, huge, deeply nested, wrong types, prototype-polluting keys, control
 * characters) must be refused with a FailureFileError naming the file, never executed and never
 * an untyped throw; budget and replay variables from the environment must be refused with a
 * ConfigError. Each file is judged alone, then all of them together through `list()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { budgetsFromEnv, ConfigError, replayFromEnv } from '../config/budgets';
import {
  FailureFileError,
  FailureStore,
  MAX_FAILURE_FILE_BYTES,
  readFailureFile,
} from '../engine/failure-store';
import { hostileNumber, hostileString } from './hostile-values';

export interface HostileFilesFigures {
  inputs: number;
  /** Files and settings refused with a typed error that names the problem. */
  refused: number;
  /** Untyped throws, or a refusal that does not say which file. */
  crashes: number;
  problems: string[];
}

const VALID = {
  version: 1,
  engine: 'sequential',
  property: 'tracker-sequential',
  target: 'tracker (built-in)',
  seed: 42,
  path: '3:0:1',
  settings: { workers: 2 },
  summary: 'The store disagrees with the model',
  replay: 'npx stampede run --seed 42',
  createdAt: '2026-01-01T00:00:00.000Z',
};

const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber.map((n) => (Number.isFinite(n) ? n : String(n))),
  fc.constantFrom(null, true, [], {}, { __proto__: 1 }, [[[]]]),
  fc.jsonValue({ maxDepth: 2 }),
);

/** File contents: spoilt valid failures, raw JSON text, random bytes, giants. */
const fileContent: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...Object.keys(VALID), '__proto__', 'constructor', 'extra'), jsonValue)
    .map(([key, value]) => JSON.stringify({ ...VALID, [key]: value })),
  fc.constantFrom(
    `{"__proto__":{"polluted":true},${JSON.stringify(VALID).slice(1)}`,
    JSON.stringify({ ...VALID, settings: { constructor: 1 } }),
    JSON.stringify(VALID).slice(0, 40),
    '['.repeat(100_000),
    ' '.repeat(MAX_FAILURE_FILE_BYTES + 1),
    '',
    '\ufeff{}',
  ),
  fc.json({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

export async function runHostileFiles(
  inputs: number,
  seed: number,
  dir: string,
): Promise<HostileFilesFigures> {
  const figures: HostileFilesFigures = { inputs: 0, refused: 0, crashes: 0, problems: [] };
  const fail = (what: string) => {
    figures.crashes += 1;
    if (figures.problems.length < 10) figures.problems.push(what);
  };
  fs.mkdirSync(dir, { recursive: true });
  const store = new FailureStore(dir);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fileContent, async (content) => {
      figures.inputs += 1;
      n += 1;
      const file = path.join(dir, `tracker-sequential-${n}-planted.json`);
      fs.writeFileSync(file, content);
      try {
        readFailureFile(file);
      } catch (error) {
        if (error instanceof FailureFileError && error.message.includes(path.basename(file))) {
          figures.refused += 1;
        } else fail(`${path.basename(file)}: ${String(error).slice(0, 200)}`);
      }
      return true;
    }),
    { numRuns: Math.ceil(inputs / 2), seed },
  );
  try {
    store.list();
  } catch (error) {
    fail(`list() threw on the planted files: ${String(error).slice(0, 200)}`);
  }
  fc.assert(
    fc.property(
      fc.constantFrom(
        'STAMPEDE_SEQUENTIAL_RUNS',
        'STAMPEDE_MAX_COMMANDS',
        'STAMPEDE_RUN_SECONDS',
        'STAMPEDE_INTERLEAVED_RUNS',
        'STAMPEDE_SEED',
        'STAMPEDE_PATH',
      ),
      hostileString,
      (name, value) => {
        figures.inputs += 1;
        const env =
          name === 'STAMPEDE_PATH' ? { STAMPEDE_SEED: '1', [name]: value } : { [name]: value };
        try {
          budgetsFromEnv(env);
          replayFromEnv(env);
        } catch (error) {
          if (error instanceof ConfigError && error.message.includes(name)) figures.refused += 1;
          else
            fail(`${name}=${JSON.stringify(value).slice(0, 80)}: ${String(error).slice(0, 200)}`);
        }
        return true;
      },
    ),
    { numRuns: Math.floor(inputs / 2), seed },
  );
  return figures;
}
