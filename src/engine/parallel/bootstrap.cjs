'use strict';
// Worker threads cannot load TypeScript by themselves on Node 20: register tsx's require hook,
// then load the TypeScript entry the main thread named. Works under jest and from the CLI.
require('tsx/cjs');
const { workerData } = require('node:worker_threads');
require(workerData.entry);
