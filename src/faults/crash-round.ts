/**
 * One crash: start a writer process on the database, wait for its report that call `index` was
 * acknowledged (or began its transaction), wait `delayUs` more microseconds and SIGKILL it.
 * Returns what it reported before dying. Sub-millisecond delays are spun, since timers are
 * 1 ms coarse.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { OpResult } from '../../models/operations';
import { decodeEvent, REPORT_FD, type WriterEvent, type WriterJob } from './crash-protocol';

/** A writer process started ahead of its round, loading its modules. */
export interface IdleWriter {
  readonly child: ChildProcess;
  readonly stderr: () => string;
}

export function startWriter(): IdleWriter {
  const child = spawn(process.execPath, [WRITER], { stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

const WRITER = path.join(__dirname, 'crash-writer.cjs');
/** A writer that neither reports nor dies within this long is broken. */
const ROUND_TIMEOUT_MS = 30_000;

export interface CrashRequest extends WriterJob {
  /** The report after which the kill is timed: call `index` acknowledged, or begun. */
  readonly killAfter: { readonly event: 'ack' | 'begin'; readonly index: number };
  readonly delayUs: number;
}

/** Where the writer was when the kill landed, from its last report. */
export type KillPoint = 'before-ready' | 'between-calls' | 'in-transaction' | 'committing';

export interface CrashReport {
  /** Results of the acknowledged calls, in order (call i at index i). */
  readonly acked: readonly OpResult[];
  /** Whether the first unacknowledged call had begun a write transaction. */
  readonly unackedBegan: boolean;
  readonly killPoint: KillPoint;
  /** The writer finished its program before the kill (a kill between runs, not a crash). */
  readonly finished: boolean;
  /** Anything wrong with the writer itself (bad exit, bad report, stderr). */
  readonly writerProblem?: string;
}

export function crashWriter(writer: IdleWriter, request: CrashRequest): Promise<CrashReport> {
  const { child } = writer;
  const events: WriterEvent[] = [];
  let pending = '';
  let killScheduled = false;
  const kill = () => child.kill('SIGKILL');
  const timer = setTimeout(kill, ROUND_TIMEOUT_MS);
  const scheduleKill = () => {
    killScheduled = true;
    if (request.delayUs < 1000) spinThenKill(request.delayUs);
    else setTimeout(() => spinThenKill(request.delayUs % 1000), Math.floor(request.delayUs / 1000));
  };
  const spinThenKill = (us: number) => {
    const until = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
    while (process.hrtime.bigint() < until) {
      // spin: the kill must land within microseconds, not at the next timer tick
    }
    kill();
  };
  const job: WriterJob = {
    dbPath: request.dbPath,
    programFile: request.programFile,
    ...(request.target !== undefined ? { target: request.target } : {}),
  };
  child.stdin?.end(`${JSON.stringify(job)}\n`);
  const reports = child.stdio[REPORT_FD] as NodeJS.ReadableStream;
  reports.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const event = decodeEvent(line);
      events.push(event);
      if (killScheduled) continue;
      const { event: type, index } = request.killAfter;
      const trigger = event.type === type && event.index === index;
      if (trigger) scheduleKill();
    }
  });
  const ended = new Promise<void>((resolve) => reports.on('end', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return Promise.all([exited, ended]).then(([exit]) => {
    clearTimeout(timer);
    return reportOf(events, exit, writer.stderr());
  });
}

function reportOf(
  events: readonly WriterEvent[],
  exit: { code: number | null; signal: NodeJS.Signals | null },
  stderr: string,
): CrashReport {
  const acked: OpResult[] = [];
  let killPoint: KillPoint = 'before-ready';
  let unackedBegan = false;
  let finished = false;
  let problem: string | undefined;
  for (const event of events) {
    if (event.type === 'ready') killPoint = 'between-calls';
    else if (event.type === 'done') finished = true;
    else if (event.type === 'begin') {
      killPoint = 'in-transaction';
      unackedBegan = true;
    } else if (event.type === 'commit') killPoint = 'committing';
    else {
      if (event.index !== acked.length) problem = `acknowledged call ${event.index} out of order`;
      acked.push(event.result);
      killPoint = 'between-calls';
      unackedBegan = false;
    }
  }
  if (exit.signal !== 'SIGKILL' && !(finished && exit.code === 0)) {
    problem ??= `writer exited with ${exit.signal ?? `code ${exit.code}`}`;
  }
  if (stderr.trim() !== '') problem ??= `writer wrote to stderr: ${stderr.trim().slice(0, 500)}`;
  return {
    acked,
    unackedBegan,
    killPoint,
    finished,
    ...(problem !== undefined ? { writerProblem: problem } : {}),
  };
}
