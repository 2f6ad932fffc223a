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

/**
 * The same command in this process (no start-up cost): for usage errors, which stop before
 * anything runs. Output is captured; the exit code is what the `stampede` binary would use.
 */
export async function stampedeHere(...args: string[]) {
  // Imported here so suites that only spawn processes do not load the CLI.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('../../src/cli/main') as typeof import('../../src/cli/main');
  const out: string[] = [];
  const err: string[] = [];
  const spies = [
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' '))),
    jest
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void err.push(a.join(' '))),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    }),
  ];
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = exitCode;
    spies.forEach((spy) => spy.mockRestore());
  }
}
