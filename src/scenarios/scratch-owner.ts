/**
 * Who owns a scratch folder, so that folders left behind by a process that died (SIGKILL, out of
 * memory, a machine reset) are removed by the next run instead of filling a memory-backed file
 * system run after run. Each folder holds a marker with its owner's pid; a folder is stale only
 * when it has a marker and that process is gone. Folders without a marker are never touched.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OWNER_MARKER = '.stampede-owner';

export function markOwner(dir: string, pid = process.pid): void {
  fs.writeFileSync(path.join(dir, OWNER_MARKER), `${pid}\n`);
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner a folder's marker names; undefined without a readable, well-formed marker. */
export function ownerOf(dir: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, OWNER_MARKER), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Removes the folders under `root` whose owner died; returns their paths. */
export function sweepStaleScratch(root: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    const owner = ownerOf(dir);
    if (owner === undefined || owner === process.pid || processAlive(owner)) continue;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another run may be removing it at the same moment, or it is not ours to remove.
    }
  }
  return removed;
}
