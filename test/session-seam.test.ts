/**
 * The statement seam: every statement of a call passes the hook, in order, by name; a hook can
 * hold a statement (so an engine can interleave workers), and back-off goes through the seam too.
 */
import { SqliteTracker, type StatementEvent } from '../src/tracker';
import { ScratchDatabases } from '../src/scenarios/scratch-db';

const scratch = new ScratchDatabases();
afterAll(() => scratch.removeAll());

test('every statement of a call reaches the hook, in order, by name', async () => {
  const seen: string[] = [];
  const store = new SqliteTracker({
    dbPath: scratch.next(),
    hooks: { beforeStatement: (event: StatementEvent) => void seen.push(event.name) },
  });
  await store.createClient({ clientKey: 'acme', name: 'Acme' });
  seen.length = 0;
  await store.createEpicWithTasks({ clientId: 1, epicKey: 'E-1', title: 'Epic' }, [
    { taskKey: 'T-1', title: 'One' },
    { taskKey: 'T-2', title: 'Two' },
  ]);
  expect(seen).toEqual([
    'beginWrite',
    'clientExists',
    'epicKeyTaken',
    'insertEpic',
    'taskKeyTaken',
    'insertTask',
    'taskKeyTaken',
    'insertTask',
    'commit',
  ]);
  await store.close();
});

test('a held statement lets another connection run, and SQLITE_BUSY backs off through the seam', async () => {
  const dbPath = scratch.next();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const writer = new SqliteTracker({
    dbPath,
    hooks: {
      // Hold the writer inside its transaction, just before it inserts the epic.
      beforeStatement: (event) => (event.name === 'insertEpic' ? held : undefined),
    },
  });
  const backoffs: number[] = [];
  const other = new SqliteTracker({
    dbPath,
    hooks: {
      backoff: async (attempt) => {
        backoffs.push(attempt);
        if (attempt === 2) release();
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    },
  });
  await other.createClient({ clientKey: 'acme', name: 'Acme' });
  const epic = writer.createEpic({ clientId: 1, epicKey: 'E-1', title: 'Held' });
  await new Promise((resolve) => setTimeout(resolve, 10));
  // The writer holds the write lock: the other store can still read the last commit...
  expect((await other.listEpics()).total).toBe(0);
  // ...and its write meets SQLITE_BUSY, backs off through the hook, then succeeds.
  const client = await other.createClient({ clientKey: 'globex', name: 'Globex' });
  expect(client.id).toBe(2);
  expect(backoffs.slice(0, 2)).toEqual([1, 2]);
  expect((await epic).id).toBe(1);
  await writer.close();
  await other.close();
});
