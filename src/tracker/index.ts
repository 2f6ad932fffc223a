export { SqliteTracker } from './sqlite-tracker';
export { TrackerError, TRACKER_ERROR_CODES, isTrackerError, type TrackerErrorCode } from './errors';
export { STORE_DEFAULTS, type StoreOptions } from './options';
export type { StatementEvent, StatementHooks } from './session';
export { ConnectionShelf, type WarmConnection, type WarmConnections } from './warm-connections';
export * from './types';

import { SqliteTracker } from './sqlite-tracker';
import type { StoreOptions } from './options';

/** Opens the tracker on `options.dbPath` (created in WAL mode when missing). */
export function openTracker(options: StoreOptions): SqliteTracker {
  return new SqliteTracker(options);
}
