/**
 * The target seam: how Stampede gets a store to test. Ours is the default; a user's module
 * plugs in here (see docs/TARGET.md) and is then judged by the same model and engines.
 */
import type { StatementHooks, TrackerStore } from '../tracker';
import { SqliteTracker } from '../tracker';

export interface TargetOptions {
  /** A database file that did not exist before this call: the store creates it. */
  readonly dbPath: string;
  /** Pool size the engine wants (one connection per worker, for instance). */
  readonly poolSize?: number;
  /** Statement seam hooks; a store that cannot honour them ignores them. */
  readonly hooks?: StatementHooks;
}

export type StoreFactory = (options: TargetOptions) => TrackerStore | Promise<TrackerStore>;

export const defaultStoreFactory: StoreFactory = (options) =>
  new SqliteTracker({
    dbPath: options.dbPath,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.hooks !== undefined ? { hooks: options.hooks } : {}),
  });
