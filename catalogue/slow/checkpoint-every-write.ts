/**
 * Planted performance bug: "keep the WAL small". The store opens with `synchronous = FULL` and
 * forces `PRAGMA wal_checkpoint(TRUNCATE)` after every committed write, so each write pays an
 * fsync of the WAL at commit, then a copy of its pages back into the database file, an fsync of
 * that file and a truncation of the WAL (which the next write grows again). WAL mode exists to
 * batch exactly that work. Results stay right; write throughput collapses.
 */
import { SqliteTracker, type StoreOptions } from '../../src/tracker';
import type { Session } from '../../src/tracker/session';
import { STATEMENTS } from '../../src/tracker/sql/statements';
import { trackerOptions, type StoreFactory } from '../../src/target/store-factory';

// Through the statement catalogue (not db.pragma), so engines see the checkpoint as a statement.
const CHECKPOINT_STATEMENTS = {
  ...STATEMENTS,
  checkpointTruncate: 'PRAGMA wal_checkpoint(TRUNCATE)',
};

export class CheckpointEveryWriteTracker extends SqliteTracker {
  constructor(options: StoreOptions) {
    // BUG (1 of 2): FULL syncs the WAL on every commit; in WAL mode NORMAL already survives a process crash.
    super({ ...options, synchronous: 'FULL' }, CHECKPOINT_STATEMENTS);
  }

  /** Every write method commits through here, so one override covers them all. */
  protected override async write<T>(work: (s: Session) => Promise<T>): Promise<T> {
    const result = await super.write(work);
    // BUG (2 of 2): a full checkpoint per write. It holds the write gate so the WAL really
    // empties (no write of this store slips in); a busy checkpoint reports busy, it never fails.
    await this.pool.withWriteGate(() => this.single(async (s) => s.get('checkpointTruncate')));
    return result;
  }
}

export const createStore: StoreFactory = (options) =>
  new CheckpointEveryWriteTracker(trackerOptions(options));
