/** Every knob of the store, with defaults that work on a 2-core machine, in one place. */
import type { StatementCatalogue } from './sql/statements';
import type { StatementHooks } from './session';
import type { WarmConnections } from './warm-connections';

export interface StoreOptions {
  /** Path of the SQLite database file (opened in WAL mode, created when missing). */
  readonly dbPath: string;
  /** Maximum number of open connections. */
  readonly poolSize?: number;
  /** How long a call waits for a free connection before POOL_TIMEOUT. */
  readonly acquireTimeoutMs?: number;
  /** Attempts of a transaction that meets SQLITE_BUSY before BUSY is reported. */
  readonly busyAttempts?: number;
  /** Back-off after a busy attempt: full jitter, doubling from base up to max. */
  readonly busyBaseDelayMs?: number;
  readonly busyMaxDelayMs?: number;
  /** `PRAGMA synchronous`: NORMAL is durable across process crashes in WAL mode. */
  readonly synchronous?: 'OFF' | 'NORMAL' | 'FULL';
  /** Statement seam: the engine's hooks on every statement. */
  readonly hooks?: StatementHooks;
  /** Cap on the database size in pages (`PRAGMA max_page_count`), for disk-full tests. */
  readonly maxPageCount?: number;
  /** Where connections come from and go back to instead of opening and closing (see the type). */
  readonly connections?: WarmConnections;
}

export interface ResolvedStoreOptions extends Required<
  Omit<StoreOptions, 'maxPageCount' | 'connections'>
> {
  readonly maxPageCount: number | undefined;
  readonly connections: WarmConnections | undefined;
  readonly catalogue: StatementCatalogue;
}

/**
 * Busy back-off: short, many attempts. Another thread's write holds SQLite's lock for well
 * under a millisecond; with a 50 ms ceiling a waiter could sleep 100x longer than the lock was
 * held (measured with 5 writer threads: max latency 220-330 ms, now 46-102 ms). About the same
 * total patience before BUSY as before (~0.8 s).
 */
export const STORE_DEFAULTS = {
  poolSize: 4,
  acquireTimeoutMs: 5_000,
  busyAttempts: 400,
  busyBaseDelayMs: 0.1,
  busyMaxDelayMs: 2,
  synchronous: 'NORMAL',
} as const;

export function resolveStoreOptions(
  options: StoreOptions,
  catalogue: StatementCatalogue,
): ResolvedStoreOptions {
  return {
    dbPath: options.dbPath,
    poolSize: options.poolSize ?? STORE_DEFAULTS.poolSize,
    acquireTimeoutMs: options.acquireTimeoutMs ?? STORE_DEFAULTS.acquireTimeoutMs,
    busyAttempts: options.busyAttempts ?? STORE_DEFAULTS.busyAttempts,
    busyBaseDelayMs: options.busyBaseDelayMs ?? STORE_DEFAULTS.busyBaseDelayMs,
    busyMaxDelayMs: options.busyMaxDelayMs ?? STORE_DEFAULTS.busyMaxDelayMs,
    synchronous: options.synchronous ?? STORE_DEFAULTS.synchronous,
    hooks: options.hooks ?? {},
    maxPageCount: options.maxPageCount,
    connections: options.connections,
    catalogue,
  };
}
