'use strict';
// Another process that takes the database's write lock and half-writes under it: BEGIN
// IMMEDIATE, one insert, no commit. It reports "locked" on stdout and waits to be killed.
/* global setInterval */
const Database = require('better-sqlite3');

const db = new Database(process.argv[2], { timeout: 10000 });
db.exec('BEGIN IMMEDIATE');
db.prepare(
  "INSERT INTO clients (client_key, name, status, priority_level) VALUES ('intruder', 'Half-written', 'active', 1)",
).run();
process.stdout.write('locked\n');
setInterval(() => {}, 60000);
