'use strict';
// A writer process for crash runs: TypeScript through tsx, as bin/stampede.cjs does.
require('tsx/cjs');
require('./crash-writer-child.ts');
