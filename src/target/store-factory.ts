/**
 * The target seam: how Stampede gets a store to test. Ours is the default; a user's module
 * plugs in here (see docs/TARGET.md) and is then judged by the same model and engines.
 */
import type { StatementHooks, StoreOptions, TrackerStore, WarmConnections } from '../tracker';
import { SqliteTracker } from '../tracker';

export interface TargetOptions {
  /** A database file that did not exist before this call: the store creates it. */
  readonly dbPath: string;
  /** Pool size the engine wants (one connection per worker, for instance). */
  readonly poolSize?: number;
  /** Statement seam hooks; a store that cannot honour them ignores them. */
  readonly hooks?: StatementHooks;
  /**
   * Open connections to reuse, given only with a shared case file (`reusableDatabase`): a store
   * may take its connections from here and give them back on close. Ignoring it is fine.
   */
  readonly connections?: WarmConnections;
}

export type StoreFactory = (options: TargetOptions) => TrackerStore | Promise<TrackerStore>;

/** The tracker's options for a target request: every variant must pass the hooks on. */
export function trackerOptions(options: TargetOptions): StoreOptions {
  return {
    dbPath: options.dbPath,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.hooks !== undefined ? { hooks: options.hooks } : {}),
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
  };
}

export const defaultStoreFactory: StoreFactory = (options) =>
  new SqliteTracker(trackerOptions(options));
