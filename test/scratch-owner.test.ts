/**
 * Scratch folders of a run that died are cleared by the next run, and nothing else is: real
 * child processes make the folders, one is killed with SIGKILL (no cleanup runs), and the next
 * process to make a scratch folder removes the dead one's and keeps the living one's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  markOwner,
  OWNER_MARKER,
  ownerOf,
  sweepStaleScratch,
} from '../src/scenarios/scratch-owner';

const ROOT_DIR = path.join(__dirname, '..');
// Makes a scratch folder with one database file in it, prints its path, then waits to be killed.
const HOLDER = `
  const { ScratchDatabases } = require('./src/scenarios/scratch-db');
  const scratch = new ScratchDatabases('stampede-owner-test-');
  require('node:fs').writeFileSync(scratch.next(), 'not really a database');
  process.stdout.write(scratch.dir + '\\n');
  setInterval(() => {}, 1000);
`;
// Makes a scratch folder and removes it, as a run that ends normally does.
const CLEAN_RUN = `
  const { ScratchDatabases } = require('./src/scenarios/scratch-db');
  new ScratchDatabases('stampede-owner-test-').removeAll();
`;

function node(code: string, root: string): ChildProcess {
  return spawn(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
    cwd: ROOT_DIR,
    env: { ...process.env, STAMPEDE_SCRATCH_DIR: root },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

describe('scratch folders of dead runs', () => {
  let root: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-owner-'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the next run removes a killed run’s folder and keeps a living run’s', async () => {
    const doomed = node(HOLDER, root);
    const living = node(HOLDER, root);
    children.push(doomed, living);
    const doomedDir = await firstLine(doomed);
    const livingDir = await firstLine(living);
    expect(ownerOf(doomedDir)).toBe(doomed.pid);

    doomed.kill('SIGKILL');
    await exited(doomed);
    expect(fs.existsSync(doomedDir)).toBe(true); // nothing cleaned up after a SIGKILL

    const next = node(CLEAN_RUN, root);
    await exited(next);
    expect(next.exitCode).toBe(0);
    expect(fs.existsSync(doomedDir)).toBe(false);
    expect(fs.existsSync(livingDir)).toBe(true);
    expect(fs.readdirSync(root)).toEqual([path.basename(livingDir)]);
  }, 30_000);

  it('never touches a folder without a well-formed marker, or one of this process', () => {
    const unmarked = path.join(root, 'someone-elses');
    const garbled = path.join(root, 'garbled-marker');
    const mine = path.join(root, 'mine');
    for (const dir of [unmarked, garbled, mine]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(unmarked, 'data.db'), 'keep me');
    fs.writeFileSync(path.join(garbled, OWNER_MARKER), 'not a pid\n');
    markOwner(mine);
    expect(sweepStaleScratch(root)).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(['garbled-marker', 'mine', 'someone-elses']);
  });

  it('removes a folder whose marked owner is gone, and says so', async () => {
    // A pid that surely ended: a child that has already exited.
    const gone = spawn(process.execPath, ['-e', '0']);
    await exited(gone);
    const stale = path.join(root, 'stampede-stale');
    fs.mkdirSync(stale);
    markOwner(stale, gone.pid);
    expect(sweepStaleScratch(root)).toEqual([stale]);
    expect(fs.existsSync(stale)).toBe(false);
  });

  it('a missing root is no error', () => {
    expect(sweepStaleScratch(path.join(root, 'absent'))).toEqual([]);
  });
});
