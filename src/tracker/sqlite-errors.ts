/** Maps SQLite's errors onto the tracker's typed errors. */
import { TrackerError } from './errors';

function sqliteCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object' || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED...: worth retrying after a back-off. */
export function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function toTrackerError(error: unknown): TrackerError {
  if (error instanceof TrackerError) return error;
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === undefined) {
    return new TrackerError('STORAGE_ERROR', `Unexpected failure: ${detail}`, undefined, {
      cause: error,
    });
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new TrackerError('DUPLICATE_KEY', `Key already taken (${detail})`, undefined, {
      cause: error,
    });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new TrackerError('NOT_FOUND', `Referenced row does not exist (${detail})`, undefined, {
      cause: error,
    });
  }
  if (code === 'SQLITE_FULL') {
    return new TrackerError('STORAGE_FULL', `Database is full: ${detail}`, undefined, {
      cause: error,
    });
  }
  if (isBusy(error)) {
    return new TrackerError('BUSY', `Database stayed locked: ${detail}`, undefined, {
      cause: error,
    });
  }
  return new TrackerError('STORAGE_ERROR', `${code}: ${detail}`, undefined, { cause: error });
}
