/** The native modules `npm ci` builds from source load and work on this machine. */
import Database from 'better-sqlite3';
import memwatch, { type GcStats } from '@airbnb/node-memwatch';

test('better-sqlite3 opens a WAL database and reports its SQLite version', () => {
  const db = new Database(':memory:');
  const row = db.prepare('SELECT sqlite_version() AS version').get() as { version: string };
  expect(row.version).toMatch(/^3\.\d+\.\d+$/);
  db.close();
});

test('@airbnb/node-memwatch forces a full GC and reports its stats', async () => {
  const stats = new Promise<GcStats>((resolve) => memwatch.once('stats', resolve));
  memwatch.gc();
  const figures = await stats;
  expect(figures.used_heap_size).toBeGreaterThan(0);
});
