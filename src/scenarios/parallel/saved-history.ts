/**
 * A failing parallel round, saved beside its failure file (`<failure>.history.jsonl`): one JSON
 * line with the round's start contents and final contents, then one line per call. Enough to
 * check the history again, draw it, or rebuild a reproduction from it.
 */
import fs from 'node:fs';
import { snapshotOfState } from '../../../models/invariants';
import type { RoundFailure } from './parallel-case';

export function historyFileOf(failureFile: string): string {
  return failureFile.replace(/\.json$/, '.history.jsonl');
}

export function saveRoundFailure(file: string, failure: RoundFailure): void {
  const header = {
    round: failure.round,
    initial: snapshotOfState(failure.initial),
    final: failure.final ?? null,
  };
  const lines = [JSON.stringify(header)];
  for (const op of failure.history) {
    // JSON has no Infinity: a call that never returned is saved with response null.
    lines.push(JSON.stringify({ ...op, response: op.response === Infinity ? null : op.response }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
