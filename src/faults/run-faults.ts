/**
 * Every fault check in one run, with the verdict of each: what `stampede faults` prints and
 * what decides its exit code.
 */
import { ScratchDatabases } from '../scenarios/scratch-db';
import { runBusyStorm, type BusyStormFigures } from './busy-storm';
import { runCrashConsistency, type CrashFigures } from './crash-consistency';
import { runDiskFull, type DiskFullFigures } from './disk-full';
import { runHostileApi, type HostileApiFigures } from './hostile-api';
import { runHostileCli, type HostileCliFigures } from './hostile-cli';
import { runHostileFiles, type HostileFilesFigures } from './hostile-files';
import { runWorkerFault, type WorkerFaultResult } from './worker-fault';

export interface FaultsBudget {
  readonly kills: number;
  readonly diskFullCycles: number;
  readonly hostileInputs: number;
  readonly busyWrites: number;
  readonly seed: number;
}

export interface FaultsReport {
  readonly seed: number;
  readonly durationSeconds: number;
  readonly crash: CrashFigures;
  readonly diskFull: DiskFullFigures;
  readonly busy: BusyStormFigures;
  readonly workers: readonly WorkerFaultResult[];
  readonly hostileApi: HostileApiFigures;
  readonly hostileCli: HostileCliFigures;
  readonly hostileFiles: HostileFilesFigures;
  readonly verdicts: Readonly<Record<FaultCheck, boolean>>;
  readonly passed: boolean;
}

export type FaultCheck = 'crash' | 'diskFull' | 'busy' | 'workers' | 'hostile';

export async function runFaults(
  budget: FaultsBudget,
  progress: (stage: string) => void = () => {},
): Promise<FaultsReport> {
  const started = Date.now();
  const scratch = new ScratchDatabases('stampede-faults-');
  try {
    progress('crash consistency');
    const crash = await runCrashConsistency({
      kills: budget.kills,
      seed: budget.seed,
      scratch,
      onKill: (done) => done % 10 === 0 && progress(`${done} kills`),
    });
    progress('disk full');
    const diskFull = await runDiskFull({
      cycles: budget.diskFullCycles,
      seed: budget.seed,
      scratch,
    });
    progress('busy storm');
    const busy = await runBusyStorm({ writes: budget.busyWrites, seed: budget.seed, scratch });
    progress('worker faults');
    const workers = [
      await runWorkerFault('throw', scratch),
      await runWorkerFault('terminate', scratch),
    ];
    progress('hostile input');
    const hostileApi = await runHostileApi({
      inputs: budget.hostileInputs,
      seed: budget.seed,
      scratch,
    });
    const side = Math.max(1, Math.floor(budget.hostileInputs / 5));
    const hostileCli = await runHostileCli(side, budget.seed);
    const hostileFiles = await runHostileFiles(side, budget.seed, scratch.next());
    const verdicts = {
      crash: crashPassed(crash),
      diskFull: diskFullPassed(diskFull),
      busy: busyPassed(busy),
      workers: workers.every(workerPassed),
      hostile:
        hostileApi.crashes + hostileApi.modelDisagreements + hostileApi.writesFromRejectedCalls ===
          0 &&
        hostileApi.problems.length === 0 &&
        hostileCli.crashes === 0 &&
        hostileFiles.crashes === 0,
    };
    return {
      seed: budget.seed,
      durationSeconds: Math.round((Date.now() - started) / 100) / 10,
      crash,
      diskFull,
      busy,
      workers,
      hostileApi,
      hostileCli,
      hostileFiles,
      verdicts,
      passed: Object.values(verdicts).every(Boolean),
    };
  } finally {
    scratch.removeAll();
  }
}

export function crashPassed(f: CrashFigures): boolean {
  return (
    f.integrityOk === f.kills &&
    f.acknowledgedMissing === 0 &&
    f.halfApplied === 0 &&
    f.modelDisagreements === 0 &&
    f.problems.length === 0
  );
}

export function diskFullPassed(f: DiskFullFigures): boolean {
  return (
    f.storageFullErrors === f.cycles &&
    f.integrityOk === f.cycles &&
    f.modelAgrees === f.cycles &&
    f.recovered === f.cycles &&
    f.problems.length === 0
  );
}

export function busyPassed(f: BusyStormFigures): boolean {
  return (
    f.busyErrors === f.writes &&
    f.otherOutcomes === 0 &&
    f.readsDuringLockOk &&
    f.nothingWrittenDuringLock &&
    f.halfWriteGone &&
    f.integrityOk &&
    f.writesAfterReleaseOk === f.writes &&
    f.problems.length === 0
  );
}

export function workerPassed(r: WorkerFaultResult): boolean {
  return (
    r.reported !== undefined &&
    r.rolledBack &&
    r.integrityOk &&
    r.nextWriteOk &&
    r.heldLockMidTransaction !== false &&
    r.problems.length === 0
  );
}
