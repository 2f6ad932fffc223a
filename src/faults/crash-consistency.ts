/**
 * Crash consistency, as SQLite tests itself: a writer process runs the tracker's
 * multi-statement calls and is SIGKILLed at a random moment, many times over one database
 * file. After each kill the file must pass `PRAGMA integrity_check` and the foreign-key check,
 * hold every acknowledged call, and hold no call half-applied (crash-verdict.ts). The file is
 * kept across kills (each writer recovers the previous one's WAL) and replaced every
 * `killsPerFile` kills, so the model stays small.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deepEqual } from '../engine/deep-equal';
import { invariantViolations, snapshotOfStore } from '../../models/invariants';
import { describeOp, describeResult } from '../../models/operations';
import { initialTrackerState, type TrackerState } from '../../models/tracker-state';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import { SqliteTracker } from '../tracker';
import { crashWriter, startWriter, type IdleWriter, type KillPoint } from './crash-round';
import { judgeCrash } from './crash-verdict';
import { checkIntegrity } from './integrity';
import { logUniform, seededRandom } from './random';
import { writeProgram } from './write-program';

export interface CrashOptions {
  readonly kills: number;
  readonly seed: number;
  readonly scratch: ScratchDatabases;
  /** A store module for the writer (a planted-bug variant); the checks never use it. */
  readonly target?: string;
  readonly programLength?: number;
  readonly killsPerFile?: number;
  /** Called after each kill (progress output). */
  readonly onKill?: (done: number) => void;
}

export interface CrashFigures {
  kills: number;
  integrityOk: number;
  acknowledgedMissing: number;
  halfApplied: number;
  /** Acknowledged results that differ from the model's. */
  modelDisagreements: number;
  /** Where the kills landed, from the writer's last report. */
  landed: Record<KillPoint, number>;
  /** The unacknowledged call had committed before the kill (the file shows it). */
  unackedCommitted: number;
  /** Writers that finished their program before the kill (not counted as crashes). */
  finishedEarly: number;
  problems: string[];
}

const MAX_PROBLEMS = 10;
/** Kills are timed after one of the first calls of a program (programs are far longer). */
const LAST_KILL_CALL = 30;

export async function runCrashConsistency(options: CrashOptions): Promise<CrashFigures> {
  const random = seededRandom(options.seed);
  // Far longer than the kill point: even a parent stalled by a busy machine kills mid-program.
  const length = options.programLength ?? 400;
  const perFile = options.killsPerFile ?? 25;
  const figures: CrashFigures = {
    kills: 0,
    integrityOk: 0,
    acknowledgedMissing: 0,
    halfApplied: 0,
    modelDisagreements: 0,
    landed: { 'before-ready': 0, 'between-calls': 0, 'in-transaction': 0, committing: 0 },
    unackedCommitted: 0,
    finishedEarly: 0,
    problems: [],
  };
  const problem = (text: string) => {
    if (figures.problems.length < MAX_PROBLEMS) figures.problems.push(text);
  };
  let dbPath = '';
  let state: TrackerState = initialTrackerState();
  let killsOnFile = perFile;
  let round = 0;
  // The next round's writer loads its modules while this round runs and is checked.
  let next: IdleWriter = startWriter();
  try {
    while (figures.kills < options.kills) {
      round += 1;
      const writer = next;
      next = startWriter();
      if (killsOnFile >= perFile) {
        if (dbPath !== '') options.scratch.discard(dbPath);
        dbPath = options.scratch.next();
        // The schema is created here, so no writer is ever killed half-way through it.
        await new SqliteTracker({ dbPath }).close();
        state = initialTrackerState();
        killsOnFile = 0;
      }
      const program = writeProgram(state, length, random);
      const programFile = path.join(options.scratch.dir, 'program.json');
      fs.writeFileSync(programFile, JSON.stringify(program.ops));
      const report = await crashWriter(writer, {
        dbPath,
        programFile,
        ...(options.target !== undefined ? { target: options.target } : {}),
        // After a begin report the kill often lands in that very transaction.
        killAfter: {
          event: random.next() < 0.5 ? 'begin' : 'ack',
          index: random.int(0, Math.min(LAST_KILL_CALL, length - 1)),
        },
        delayUs: logUniform(random, 1, 3000),
      });
      if (report.writerProblem !== undefined) problem(`round ${round}: ${report.writerProblem}`);
      if (report.finished) {
        figures.finishedEarly += 1;
        state = program.states[program.ops.length] as TrackerState;
        continue;
      }
      figures.kills += 1;
      killsOnFile += 1;
      options.onKill?.(figures.kills);
      figures.landed[report.killPoint] += 1;
      report.acked.forEach((observed, i) => {
        const expected = program.results[i];
        if (!deepEqual(expected, observed)) {
          figures.modelDisagreements += 1;
          problem(
            `kill ${figures.kills}: ${clip(describeOp(program.ops[i] as (typeof program.ops)[number]))} ` +
              `returned ${JSON.stringify(observed)}, the model says ${expected ? describeResult(expected) : '?'}`,
          );
        }
      });
      const integrity = checkIntegrity(dbPath);
      if (integrity === 'ok') figures.integrityOk += 1;
      else problem(`kill ${figures.kills}: integrity check says ${integrity}`);
      const observed = await readBack(dbPath);
      const verdict = judgeCrash(
        program.states,
        report.acked.length,
        report.unackedBegan,
        observed,
      );
      const violations = invariantViolations(observed);
      if (verdict.kind === 'consistent') {
        if (verdict.applied > report.acked.length) figures.unackedCommitted += 1;
        state = program.states[verdict.applied] as TrackerState;
        if (violations.length > 0) problem(`kill ${figures.kills}: ${violations.join('; ')}`);
        continue;
      }
      const at = `kill ${figures.kills} (${report.killPoint}, ${report.acked.length} acknowledged)`;
      if (verdict.kind === 'acknowledged-missing') {
        figures.acknowledgedMissing += verdict.missing;
        problem(`${at}: ${verdict.missing} acknowledged call(s) missing: ${verdict.detail}`);
      } else {
        figures.halfApplied += 1;
        const torn = program.ops[report.acked.length];
        problem(
          `${at}: half-applied ${torn ? clip(describeOp(torn)) : 'call'}: ` +
            [verdict.detail, ...violations].filter((t) => t !== '').join('; '),
        );
      }
      // The file is in no state the model knows: go on from a fresh one.
      killsOnFile = perFile;
    }
  } finally {
    next.child.kill('SIGKILL');
  }
  if (dbPath !== '') options.scratch.discard(dbPath);
  return figures;
}

/** The file's contents through the correct tracker's API (never the writer's variant). */
async function readBack(dbPath: string) {
  const store = new SqliteTracker({ dbPath });
  try {
    return await snapshotOfStore(store);
  } finally {
    await store.close();
  }
}

function clip(text: string, width = 120): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}
