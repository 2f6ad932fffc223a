/** The database file's own verdict on itself, from a fresh connection. */
import Database from 'better-sqlite3';

/** `PRAGMA integrity_check` and `foreign_key_check` on a fresh connection: 'ok' or why not. */
export function checkIntegrity(dbPath: string): string {
  const db = new Database(dbPath);
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const result = rows.map((row) => row.integrity_check).join('; ');
    const orphans = (db.pragma('foreign_key_check') as unknown[]).length;
    return orphans === 0 ? result : `${result}; ${orphans} foreign-key violation(s)`;
  } finally {
    db.close();
  }
}
