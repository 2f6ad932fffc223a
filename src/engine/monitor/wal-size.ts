/** Size of a SQLite database's write-ahead log: a gauge of how far checkpoints lag behind writes. */
import fs from 'node:fs';

/** Bytes of `${dbPath}-wal`; 0 when there is none (not in WAL mode, or closed cleanly). */
export function walBytes(dbPath: string): number {
  // Only a missing file reads as 0; any other failure (EACCES, ENOTDIR) is thrown.
  return fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}
