/** Fresh database files for cases, in one temporary folder removed at the end. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markOwner, sweepStaleScratch } from './scratch-owner';

// Once per process: the first scratch folder it makes also clears those of runs that died.
let swept = false;

export class ScratchDatabases {
  readonly dir: string;
  private counter = 0;

  constructor(prefix = 'stampede-') {
    const root = scratchRoot();
    if (!swept) {
      swept = true;
      sweepStaleScratch(root);
    }
    this.dir = fs.mkdtempSync(path.join(root, prefix));
    markOwner(this.dir);
  }

  /** A path where no database exists yet. */
  next(): string {
    this.counter += 1;
    return path.join(this.dir, `case-${this.counter}.db`);
  }

  /** Deletes a case's file with its WAL and shared-memory files. */
  discard(dbPath: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      fs.rmSync(dbPath + suffix, { force: true });
    }
  }

  removeAll(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Cases open thousands of short-lived databases: on a memory-backed file system (when there is
 * one) they are still real WAL files, without paying for disk syncs. STAMPEDE_SCRATCH_DIR wins.
 */
function scratchRoot(): string {
  const chosen = process.env.STAMPEDE_SCRATCH_DIR;
  if (chosen !== undefined && chosen !== '') return chosen;
  const shm = '/dev/shm';
  try {
    fs.accessSync(shm, fs.constants.W_OK);
    return shm;
  } catch {
    return os.tmpdir();
  }
}
