#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI through tsx, so `npx stampede` needs no build step.
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  // Exit explicitly once the command is done (stdout and stderr are synchronous on Linux): after a
  // node-memwatch HeapDiff, letting the process wind down on its own can crash in native
  // teardown (SIGSEGV) and lose the exit code.
  process.exit(code);
});
