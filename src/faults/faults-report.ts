/** `stampede faults` as text: one block per check, its figures, PASSED or FAILED, problems. */
import type { FaultsReport } from './run-faults';

export function formatFaultsReport(r: FaultsReport): string {
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
  const { crash: c, diskFull: d, busy: b, hostileApi: h, hostileCli: cli, hostileFiles: files } = r;
  const lines = [
    `Stampede faults: crashes, a full disk, busy storms, worker faults, hostile input (seed ${r.seed})`,
    `  ${mark(r.verdicts.crash)} crash consistency  ${c.kills} SIGKILLs: integrity ok ${c.integrityOk}/${c.kills}, ` +
      `acknowledged-but-missing ${c.acknowledgedMissing}, half-applied ${c.halfApplied}`,
    `                          kills landed: ${c.landed['in-transaction']} inside a transaction, ` +
      `${c.landed.committing} during or just after COMMIT, ${c.landed['between-calls']} between calls; ` +
      `${c.unackedCommitted} unacknowledged call(s) had committed` +
      (c.finishedEarly > 0 ? `; ${c.finishedEarly} writer(s) finished before the kill` : ''),
    `                          acknowledged results that disagree with the model: ${c.modelDisagreements}`,
    `  ${mark(r.verdicts.diskFull)} disk full          ${d.cycles} cycle(s): STORAGE_FULL ${d.storageFullErrors}, ` +
      `integrity ok ${d.integrityOk}/${d.cycles}, model agrees ${d.modelAgrees}/${d.cycles}, ` +
      `recovered after raising the cap ${d.recovered}/${d.cycles} (${d.writesBeforeFull} writes before the cap)`,
    `  ${mark(r.verdicts.busy)} busy storm         ${b.busyErrors}/${b.writes} writes BUSY under another process's lock, ` +
      `nothing written: ${yes(b.nothingWrittenDuringLock)}, reads ok: ${yes(b.readsDuringLockOk)}; ` +
      `after killing it: half-write gone: ${yes(b.halfWriteGone)}, integrity ok: ${yes(b.integrityOk)}, ` +
      `writes ok ${b.writesAfterReleaseOk}/${b.writes}`,
    ...r.workers.map(
      (w, i) =>
        `  ${i === 0 ? mark(r.verdicts.workers) : '    '} ${(i === 0 ? 'worker faults' : '').padEnd(18)} ` +
        `${w.mode}: reported (${w.reported ?? 'nothing'}), rolled back: ${yes(w.rolledBack)}, ` +
        `integrity ok: ${yes(w.integrityOk)}, next write ok: ${yes(w.nextWriteOk)}`,
    ),
    `  ${mark(r.verdicts.hostile)} hostile input      API ${h.inputs} calls (${h.refused} refused, ${h.accepted} accepted): ` +
      `crashes ${h.crashes}, model disagreements ${h.modelDisagreements}, writes from rejected calls ${h.writesFromRejectedCalls}`,
    `                          command lines ${cli.inputs}: crashes ${cli.crashes}; ` +
      `failure files and settings ${files.inputs} (${files.refused} refused): crashes ${files.crashes}`,
    `  ${r.passed ? 'PASSED' : 'FAILED'} in ${r.durationSeconds} s`,
  ];
  const problems = [
    ...c.problems.map((p) => `crash: ${p}`),
    ...d.problems.map((p) => `disk full: ${p}`),
    ...b.problems.map((p) => `busy: ${p}`),
    ...r.workers.flatMap((w) => w.problems.map((p) => `worker (${w.mode}): ${p}`)),
    ...h.problems.map((p) => `hostile API: ${p}`),
    ...cli.problems.map((p) => `hostile CLI: ${p}`),
    ...files.problems.map((p) => `hostile files: ${p}`),
  ];
  if (problems.length > 0) lines.push('', 'problems:', ...problems.map((p) => `  ${p}`));
  // The seed fixes the programs and the hostile inputs; where a kill lands is up to the machine.
  lines.push('', `replay: npx stampede faults --seed ${r.seed}`);
  return lines.join('\n');
}

function yes(flag: boolean): string {
  return flag ? 'yes' : 'NO';
}
