'use strict';
// One raw better-sqlite3 connection in a worker thread, running the store's own statements:
// the baseline the parallel engine is measured against. Plain JavaScript, so it costs nothing
// to load and carries no instrumentation.
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const { dbPath, kind, ms, epics, startAt, worker, statements } = workerData;
const db = new Database(dbPath, { timeout: 10000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
const s = {};
for (const name of [
  'beginWrite',
  'commit',
  'clientExists',
  'epicKeyTaken',
  'taskKeyTaken',
  'insertEpic',
  'insertTask',
  'epicAnalytics',
]) {
  s[name] = db.prepare(statements[name]);
}
const TASKS = [
  { taskKey: 'T-1', title: 'Failing test', tddPhase: 'red', storyPoints: 2, estimateMinutes: 45 },
  { taskKey: 'T-2', title: 'Make it pass', tddPhase: 'green', storyPoints: 3, estimateMinutes: 90 },
  { taskKey: 'T-3', title: 'Refactor', tddPhase: 'refactor', storyPoints: 1, estimateMinutes: 30 },
];

function epicWithTasks(i) {
  s.beginWrite.run();
  try {
    const epicKey = `R-${worker}-${i}`;
    if (s.clientExists.get(1) === undefined) throw new Error('no client');
    if (s.epicKeyTaken.get(epicKey) !== undefined) throw new Error('key taken');
    const epic = s.insertEpic.get({
      clientId: 1,
      epicKey,
      title: 'Benchmark epic',
      description: '',
      pointsValue: 30,
      durationText: null,
    });
    for (const task of TASKS) {
      if (s.taskKeyTaken.get(epic.id, task.taskKey) !== undefined) throw new Error('taken');
      s.insertTask.get({ epicId: epic.id, ...task });
    }
    s.commit.run();
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

let seed = 0x5eed + worker;
function randomEpic() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return 1 + Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * epics);
}

while (Date.now() < startAt) {
  // all threads start together
}
const started = process.hrtime.bigint();
const deadline = started + BigInt(ms) * 1000000n;
let ops = 0;
while (process.hrtime.bigint() < deadline) {
  for (let k = 0; k < 16; k += 1) {
    if (kind === 'write') epicWithTasks(ops);
    else s.epicAnalytics.get(randomEpic());
    ops += 1;
  }
}
const elapsedNs = Number(process.hrtime.bigint() - started);
db.close();
parentPort.postMessage({ ops, elapsedNs });
