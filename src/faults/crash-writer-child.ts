/**
 * The writer process of a crash run: runs a program of tracker writes on a database file and
 * reports each event (crash-protocol.ts) before going on, until its parent kills it. It is
 * started ahead of time (loading modules takes longer than a crash round) and waits for one
 * line on stdin: a JSON `WriterJob`.
 */
import fs from 'node:fs';
import { applyToStore, type TrackerOp } from '../../models/operations';
import { loadTarget } from '../target/load-target';
import { encodeEvent, REPORT_FD, type WriterEvent, type WriterJob } from './crash-protocol';

function report(event: WriterEvent): void {
  const bytes = Buffer.from(encodeEvent(event));
  let written = 0;
  while (written < bytes.length) {
    try {
      written += fs.writeSync(REPORT_FD, bytes, written);
    } catch (error) {
      // A full pipe on a non-blocking descriptor: wait for the parent to read.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

function readJob(): Promise<WriterJob> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end < 0) return;
      process.stdin.destroy();
      resolve(JSON.parse(text.slice(0, end)) as WriterJob);
    });
    process.stdin.on('error', reject);
  });
}

async function main(): Promise<void> {
  const { dbPath, programFile, target } = await readJob();
  const ops = JSON.parse(fs.readFileSync(programFile, 'utf8')) as TrackerOp[];
  let current = 0;
  const store = await loadTarget(target).createStore({
    dbPath,
    hooks: {
      beforeStatement: ({ name }) => {
        if (name === 'beginWrite') report({ type: 'begin', index: current });
        else if (name === 'commit') report({ type: 'commit', index: current });
      },
    },
  });
  report({ type: 'ready' });
  for (const [index, op] of ops.entries()) {
    current = index;
    report({ type: 'ack', index, result: await applyToStore(store, op) });
  }
  report({ type: 'done' });
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`crash writer failed: ${String(error)}\n`);
  process.exitCode = 1;
});
