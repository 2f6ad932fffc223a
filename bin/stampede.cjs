#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI through tsx, so `npx stampede` needs no build step.
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
