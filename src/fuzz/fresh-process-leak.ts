/**
 * A second opinion on a leak seen only in native memory (RSS less the JS heap), from a fresh
 * process. In a long fuzz run the process's own allocator state (arenas left by finished worker
 * threads, SQLite's caches of earlier stores) can grow RSS for minutes whatever runs: two 30-minute
 * runs stopped on such growth under the correct tracker (16 and 7.9 KB per call). A fresh
 * process replays the one case with `stampede leak --seed --path`: a real native leak grows
 * there too, and the allocator's own history does not come with it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { MemoryMetric } from '../engine/leak/memory-sample';
import { EXIT } from '../cli/exit-codes';

const CLI = path.join(__dirname, '..', '..', 'bin', 'stampede.cjs');
const TIMEOUT_MS = 120_000;

export type FreshVerdict = 'leak' | 'no leak' | 'unknown';

/** Whether this verdict rests on native memory alone (the JS heap and external memory are flat). */
export function nativeOnly(leakingMetrics: readonly MemoryMetric[]): boolean {
  return leakingMetrics.length > 0 && leakingMetrics.every((metric) => metric === 'rss');
}

export function replayLeakInFreshProcess(
  seed: number,
  shrinkPath: string,
  targetFlag: string | undefined,
): Promise<FreshVerdict> {
  const args = [
    CLI,
    'leak',
    '--seed',
    String(seed),
    ...(shrinkPath !== '' ? ['--path', shrinkPath] : []),
    '--no-duration',
    ...(targetFlag !== undefined ? ['--target', targetFlag] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('error', () => {
      clearTimeout(timer);
      resolve('unknown');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === EXIT.failuresFound ? 'leak' : code === EXIT.clean ? 'no leak' : 'unknown');
    });
  });
}
