/** Fresh database files for cases, in one temporary folder removed at the end. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class ScratchDatabases {
  readonly dir: string;
  private counter = 0;

  constructor(prefix = 'stampede-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
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
