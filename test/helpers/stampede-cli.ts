/** Runs the `stampede` command as a user does: a real process, its output and exit code. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'stampede.cjs');

export function stampedeIn(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

export function spawnStampede(cwd: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh working folder (its own .stampede/ and stampede-report/). */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `stampede-${prefix}-`));
}
