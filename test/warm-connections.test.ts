/**
 * Warm connections: a store given a shelf takes its connections from it and gives them back on
 * close, clean; stores with other settings or another file never share them.
 */
import Database from 'better-sqlite3';
import { ConnectionShelf, SqliteTracker, type WarmConnection } from '../src/tracker';
import { ScratchDatabases } from '../src/scenarios/scratch-db';

const scratch = new ScratchDatabases();
afterAll(() => scratch.removeAll());

test('a closed store leaves its connection on the shelf, and the next store takes it', async () => {
  const shelf = new ConnectionShelf();
  const dbPath = scratch.next();
  try {
    const first = new SqliteTracker({ dbPath, connections: shelf });
    await first.createClient({ clientKey: 'acme', name: 'Acme' });
    expect(shelf.size).toBe(0);
    await first.close();
    expect(shelf.size).toBe(1);

    const taken: WarmConnection[] = [];
    const spy: ConnectionShelf = Object.assign(Object.create(shelf) as ConnectionShelf, {
      take: (path: string, settings: string) => {
        const warm = shelf.take(path, settings);
        if (warm !== undefined) taken.push(warm);
        return warm;
      },
    });
    const second = new SqliteTracker({ dbPath, connections: spy });
    expect(taken).toHaveLength(1);
    expect(shelf.size).toBe(0);
    // The statement prepared by the first store serves the second.
    const prepared = taken[0]!.statements.size;
    expect(prepared).toBeGreaterThan(0);
    expect((await second.getClient(1)).clientKey).toBe('acme');
    expect(second.poolFigures().open).toBe(1);
    await second.close();
    expect(shelf.size).toBe(1);
    expect(taken[0]!.db.open).toBe(true);
    expect(taken[0]!.db.inTransaction).toBe(false);
  } finally {
    shelf.closeAll();
  }
  expect(shelf.size).toBe(0);
});

test('other settings or another file never get a shelved connection', async () => {
  const shelf = new ConnectionShelf();
  const dbPath = scratch.next();
  try {
    await new SqliteTracker({ dbPath, connections: shelf }).close();
    expect(shelf.size).toBe(1);
    // synchronous = FULL is a connection setting: a NORMAL connection cannot serve it.
    const full = new SqliteTracker({ dbPath, connections: shelf, synchronous: 'FULL' });
    expect(shelf.size).toBe(1);
    await full.close();
    expect(shelf.size).toBe(2);
    const elsewhere = new SqliteTracker({ dbPath: scratch.next(), connections: shelf });
    expect(shelf.size).toBe(2);
    await elsewhere.close();
    expect(shelf.size).toBe(3);
  } finally {
    shelf.closeAll();
  }
});

test('the shelf refuses a closed connection or one in the middle of a transaction', () => {
  const shelf = new ConnectionShelf();
  const db = new Database(scratch.next());
  const warm: WarmConnection = { db, statements: new Map() };
  db.exec('BEGIN');
  expect(() => shelf.give('x.db', 'settings', warm)).toThrow(/no transaction/);
  db.exec('ROLLBACK');
  db.close();
  expect(() => shelf.give('x.db', 'settings', warm)).toThrow(/open connection/);
  expect(shelf.size).toBe(0);
});
