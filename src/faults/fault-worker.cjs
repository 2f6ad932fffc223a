'use strict';
// A worker thread for worker faults: TypeScript through tsx (see fault-worker-thread.ts).
require('tsx/cjs');
require('./fault-worker-thread.ts');
