/**
 * What a crash writer tells its parent, one line per event on file descriptor 3, written
 * synchronously so that a line written before a SIGKILL is never lost:
 *   `R`             ready (store open)
 *   `B <i>`         call i is about to BEGIN its write transaction
 *   `C <i>`         call i is about to COMMIT
 *   `A <i> <json>`  call i returned (acknowledged) with this result
 *   `D`             every call returned
 */
import type { OpResult } from '../../models/operations';

export const REPORT_FD = 3;

/** The one line a waiting writer reads on stdin to start. */
export interface WriterJob {
  readonly dbPath: string;
  readonly programFile: string;
  /** A store module (a planted-bug variant); the built-in tracker when absent. */
  readonly target?: string;
}

export type WriterEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'begin'; readonly index: number }
  | { readonly type: 'commit'; readonly index: number }
  | { readonly type: 'ack'; readonly index: number; readonly result: OpResult }
  | { readonly type: 'done' };

export function encodeEvent(event: WriterEvent): string {
  switch (event.type) {
    case 'ready':
      return 'R\n';
    case 'done':
      return 'D\n';
    case 'begin':
      return `B ${event.index}\n`;
    case 'commit':
      return `C ${event.index}\n`;
    case 'ack':
      return `A ${event.index} ${JSON.stringify(event.result)}\n`;
  }
}

/** A line the parent cannot read means the writer is broken: say so rather than guess. */
export function decodeEvent(line: string): WriterEvent {
  const [tag, index, ...rest] = line.split(' ');
  if (tag === 'R') return { type: 'ready' };
  if (tag === 'D') return { type: 'done' };
  const i = Number(index);
  if (!Number.isInteger(i) || i < 0) throw new Error(`crash writer sent a bad line: ${line}`);
  if (tag === 'B') return { type: 'begin', index: i };
  if (tag === 'C') return { type: 'commit', index: i };
  if (tag === 'A') return { type: 'ack', index: i, result: JSON.parse(rest.join(' ')) as OpResult };
  throw new Error(`crash writer sent a bad line: ${line}`);
}
