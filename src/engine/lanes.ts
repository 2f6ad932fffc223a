/**
 * Draws a concurrent history as lanes (one column per worker, one row per step where something
 * starts or ends), the way quickcheck-state-machine and Porcupine show a failing history: who was
 * running what while the offending call happened is visible at a glance.
 *
 * Generic: it knows nothing of the system under test; callers turn their operations into
 * `LaneOp`s (already-rendered call and outcome strings).
 */

export interface LaneOp {
  /** 0-based column. */
  readonly worker: number;
  /** Logical time (step) the call started. */
  readonly invoke: number;
  /** Step it returned (>= invoke); `Infinity` if it never returned. */
  readonly response: number;
  /** e.g. `store.completeTask(3)`. */
  readonly call: string;
  /** e.g. `ok (id 3)` or `throws NOT_FOUND (taskId)`. */
  readonly outcome: string;
  /** Set on the offending op: what a correct system could have returned, and what it did. */
  readonly mark?: { readonly expected: string; readonly observed: string };
}

export interface LaneOptions {
  readonly workers: number;
  /** Width of each worker column in characters (default 38). */
  readonly columnWidth?: number;
  readonly title?: string;
}

export const DEFAULT_COLUMN_WIDTH = 38;
/** Below this a cell cannot hold a marker plus a few characters of text. */
const MIN_COLUMN_WIDTH = 8;

const INVOKE = '▶';
const RETURN = '◀';
const FAILED = '✗';
const RUNNING = '│';
const PENDING = '⋯';
const SAME_STEP = '→';

// ---------------------------------------------------------------------------------------------
// Shared preparation

interface Prepared {
  readonly ops: readonly LaneOp[];
  /** Distinct finite steps where something starts or ends, ascending. */
  readonly steps: readonly number[];
  /** True when some op never returned: the table then ends with an `∞` row. */
  readonly hasPending: boolean;
  readonly workers: number;
}

function prepare(ops: readonly LaneOp[], options: LaneOptions): Prepared {
  const { workers } = options;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`renderLanes: workers must be a positive integer, got ${workers}`);
  }
  ops.forEach((op, i) => checkOp(op, i, workers));
  const sorted = [...ops].sort(compareOps);
  const steps = new Set<number>();
  for (const op of sorted) {
    steps.add(op.invoke);
    if (op.response !== Infinity) steps.add(op.response);
  }
  return {
    ops: sorted,
    steps: [...steps].sort((a, b) => a - b),
    hasPending: sorted.some((op) => op.response === Infinity),
    workers,
  };
}

function checkOp(op: LaneOp, index: number, workers: number): void {
  if (!Number.isInteger(op.worker) || op.worker < 0 || op.worker >= workers) {
    throw new RangeError(
      `renderLanes: op #${index} has worker ${op.worker}, expected an integer in [0, ${workers - 1}]`,
    );
  }
  if (!Number.isFinite(op.invoke)) {
    throw new RangeError(`renderLanes: op #${index} has invoke ${op.invoke}, expected a number`);
  }
  // NaN fails every comparison, so `!(a >= b)` also rejects it.
  if (!(op.response >= op.invoke)) {
    throw new RangeError(
      `renderLanes: op #${index} has response ${op.response} before invoke ${op.invoke}`,
    );
  }
}

/** A total order, so equal-invoke ops (and shuffled input) always render the same way. */
function compareOps(a: LaneOp, b: LaneOp): number {
  return (
    a.invoke - b.invoke ||
    a.worker - b.worker ||
    compareNumbers(a.response, b.response) ||
    compareStrings(a.call, b.call) ||
    compareStrings(a.outcome, b.outcome) ||
    compareStrings(a.mark?.expected ?? '', b.mark?.expected ?? '') ||
    compareStrings(a.mark?.observed ?? '', b.mark?.observed ?? '')
  );
}

function compareNumbers(a: number, b: number): number {
  // Infinity - Infinity is NaN, which sort treats as "equal" only by accident.
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function workerName(worker: number): string {
  return `worker ${worker + 1}`;
}

/**
 * Control characters (newlines, tabs, ANSI escapes from user data) would break the grid or
 * recolour the terminal; show them as visible escapes instead, so nothing is lost.
 */
export function visibleControls(text: string, keepNewlines = false): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (keepNewlines && c === '\n') return c;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Text

/**
 * Characters after which a line may break nicely (the character stays on the upper line).
 * Closing brackets are left out on purpose: breaking after them strands a lone `)` below.
 */
const BREAK_AFTER = new Set([' ', ',', ';', '(', '[', '{']);

/**
 * Splits `text` into pieces of at most `width` code points. Lossless: the pieces joined give
 * back `text` exactly. Prefers to break after punctuation or a space in the second half of a
 * line, else breaks hard (a long identifier or JSON string has no better place).
 */
export function wrapText(text: string, width: number): string[] {
  if (!Number.isInteger(width) || width < 1) {
    throw new RangeError(`wrapText: width must be a positive integer, got ${width}`);
  }
  const chars = Array.from(text); // code points, so surrogate pairs are never split
  if (chars.length === 0) return [''];
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = Math.min(start + width, chars.length);
    if (end < chars.length) {
      const soft = lastBreak(chars, start + Math.ceil(width / 2), end);
      if (soft !== undefined) end = soft;
    }
    pieces.push(chars.slice(start, end).join(''));
    start = end;
  }
  return pieces;
}

/** The end index (exclusive) of the last nice break within chars[from..to), if any. */
function lastBreak(chars: readonly string[], from: number, to: number): number | undefined {
  for (let i = to - 1; i >= from - 1 && i >= 0; i--) {
    if (BREAK_AFTER.has(chars[i] ?? '')) return i + 1;
  }
  return undefined;
}

function width(text: string): number {
  return Array.from(text).length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/** A cell's lines: the marker then text, continuation lines indented under the text. */
function markedLines(marker: string, text: string, columnWidth: number): string[] {
  return wrapText(visibleControls(text), columnWidth - 2).map((piece, i) =>
    i === 0 ? `${marker} ${piece}` : `  ${piece}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Text table

/** What one op shows in the row of `step` (undefined: it is not involved at that step). */
function cellFor(
  op: LaneOp,
  step: number,
  columnWidth: number,
): { lines: string[]; runsOn: boolean } | undefined {
  const failedMarker = op.mark ? FAILED : undefined;
  if (op.invoke === step && op.response === step) {
    return {
      lines: markedLines(
        failedMarker ?? INVOKE,
        `${op.call} ${SAME_STEP} ${op.outcome}`,
        columnWidth,
      ),
      runsOn: false,
    };
  }
  if (op.invoke === step) return { lines: markedLines(INVOKE, op.call, columnWidth), runsOn: true };
  // Checked before the plain response case: Infinity === Infinity, but a pending op never
  // returned, so it must not show the return marker.
  if (step === Infinity && op.response === Infinity) {
    return { lines: markedLines(failedMarker ?? PENDING, op.outcome, columnWidth), runsOn: false };
  }
  if (op.response === step) {
    return { lines: markedLines(failedMarker ?? RETURN, op.outcome, columnWidth), runsOn: false };
  }
  return undefined;
}

/** Lines of one worker's column for one step row, plus what fills the rest of the row. */
function columnCell(
  ops: readonly LaneOp[],
  step: number,
  columnWidth: number,
): { lines: string[]; filler: string } {
  const lines: string[] = [];
  let runsOn = false;
  let runningThrough = false;
  for (const op of ops) {
    const cell = cellFor(op, step, columnWidth);
    if (cell) {
      lines.push(...cell.lines);
      runsOn ||= cell.runsOn;
    } else if (op.invoke < step && step < op.response) {
      runningThrough = true;
    }
  }
  if (lines.length === 0 && runningThrough) return { lines: [RUNNING], filler: RUNNING };
  // An op that started here keeps running below its (possibly wrapped) call text.
  return { lines, filler: runsOn || runningThrough ? RUNNING : '' };
}

function footer(ops: readonly LaneOp[]): string[] {
  const lines: string[] = [];
  for (const op of ops) {
    if (!op.mark) continue;
    lines.push(`${FAILED} ${workerName(op.worker)}: ${visibleControls(op.call)}`);
    lines.push(...labelled('expected', op.mark.expected));
    lines.push(...labelled('observed', op.mark.observed));
  }
  return lines;
}

/** `    expected: first line` with later lines aligned under the first. */
function labelled(label: string, value: string): string[] {
  const head = `    ${label}: `;
  return visibleControls(value, true)
    .split('\n')
    .map((line, i) => (i === 0 ? head : ' '.repeat(head.length)) + line);
}

/**
 * Renders the history as a plain-text table (no colours), one column per worker. Pure and
 * deterministic: ops are ordered by invoke step whatever the input order.
 */
export function renderLanes(ops: readonly LaneOp[], options: LaneOptions): string {
  const prepared = prepare(ops, options);
  const columnWidth = options.columnWidth ?? DEFAULT_COLUMN_WIDTH;
  if (!Number.isInteger(columnWidth) || columnWidth < MIN_COLUMN_WIDTH) {
    throw new RangeError(
      `renderLanes: columnWidth must be an integer >= ${MIN_COLUMN_WIDTH}, got ${columnWidth}`,
    );
  }
  const workerIds = Array.from({ length: prepared.workers }, (_, w) => w);
  const byWorker = workerIds.map((w) => prepared.ops.filter((op) => op.worker === w));
  const cellWidth = Math.max(columnWidth, ...workerIds.map((w) => width(workerName(w))));
  const rowSteps: number[] = [...prepared.steps, ...(prepared.hasPending ? [Infinity] : [])];
  const stepLabel = (step: number): string => (step === Infinity ? '∞' : String(step));
  const stepWidth = Math.max(4, ...rowSteps.map((s) => width(stepLabel(s))));

  const line = (label: string, cells: readonly string[]): string =>
    `${label.padStart(stepWidth)} | ${cells.map((c) => pad(c, cellWidth)).join(' | ')}`.trimEnd();

  const out: string[] = [];
  if (options.title !== undefined) out.push(visibleControls(options.title), '');
  out.push(
    line(
      'step',
      workerIds.map((w) => workerName(w)),
    ),
  );
  out.push(`${'-'.repeat(stepWidth)}-+-${workerIds.map(() => '-'.repeat(cellWidth)).join('-+-')}`);
  for (const step of rowSteps) {
    const cells = byWorker.map((column) => columnCell(column, step, columnWidth));
    const height = Math.max(1, ...cells.map((c) => c.lines.length));
    for (let i = 0; i < height; i++) {
      out.push(
        line(
          i === 0 ? stepLabel(step) : '',
          cells.map((c) => c.lines[i] ?? c.filler),
        ),
      );
    }
  }
  if (prepared.ops.length === 0) out.push('(no operations)');
  const marks = footer(prepared.ops);
  if (marks.length > 0) out.push('', ...marks);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTML

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return visibleControls(text, true)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The lanes' CSS, for pages that embed lanes (renderLanesFragment). */
export const LANES_HTML_STYLE = `
body { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px;
  margin: 1.5em; color: #1b1f23; background: #fff; }
h1 { font-size: 1.2em; }
h2 { font-size: 1.05em; margin-top: 1.5em; }
.lanes { display: grid; gap: 2px 8px; align-items: stretch; }
.head { font-weight: bold; border-bottom: 1px solid #888; padding: 2px 4px; }
.step { color: #666; text-align: right; padding: 2px 4px; }
.stripe { background: #f6f8fa; }
.op { border: 1px solid #6a737d; border-radius: 4px; background: #eef4fb; padding: 2px 6px;
  display: flex; flex-direction: column; justify-content: space-between; min-height: 1.4em; }
.op div, .op dd, .marks pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.op.pending { border-style: dashed; }
.op.bad { border: 2px solid #cb2431; background: #ffeef0; }
.op dl { margin: 4px 0 0 0; }
.op dt { font-weight: bold; color: #cb2431; }
.op dd { margin-left: 1em; }
.marks .bad { border-left: 4px solid #cb2431; padding-left: 8px; margin-bottom: 1em; }
`;

function attr(styles: Record<string, string | number>): string {
  return Object.entries(styles)
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
}

function opBox(op: LaneOp, column: number, rowOf: (step: number) => number): string {
  const first = rowOf(op.invoke);
  const last = rowOf(op.response);
  const classes = [
    'op',
    ...(op.response === Infinity ? ['pending'] : []),
    ...(op.mark ? ['bad'] : []),
  ];
  const parts: string[] = [];
  if (op.invoke === op.response) {
    const marker = op.mark ? FAILED : INVOKE;
    parts.push(
      `<div class="call">${marker} ${escapeHtml(op.call)} ${SAME_STEP} ${escapeHtml(op.outcome)}</div>`,
    );
  } else {
    const end = op.mark ? FAILED : op.response === Infinity ? PENDING : RETURN;
    parts.push(`<div class="call">${INVOKE} ${escapeHtml(op.call)}</div>`);
    parts.push(`<div class="outcome">${end} ${escapeHtml(op.outcome)}</div>`);
  }
  if (op.mark) {
    parts.push(
      `<dl><dt>expected</dt><dd>${escapeHtml(op.mark.expected)}</dd>` +
        `<dt>observed</dt><dd>${escapeHtml(op.mark.observed)}</dd></dl>`,
    );
  }
  const style = attr({ 'grid-column': column, 'grid-row': `${first} / ${last + 1}` });
  return `<div class="${classes.join(' ')}" style="${style}">${parts.join('')}</div>`;
}

/**
 * The same lanes as a small self-contained HTML page: inline CSS, no scripts, no external
 * resources (a Content-Security-Policy forbids them too), every piece of text escaped.
 */
export function renderLanesHtml(ops: readonly LaneOp[], options: LaneOptions): string {
  const title = options.title ?? 'Stampede history';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${LANES_HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    renderLanesFragment(ops, options),
    '</body>',
    '</html>',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}

/** The lanes alone (grid and marked operations), to embed in a page that has LANES_HTML_STYLE. */
export function renderLanesFragment(ops: readonly LaneOp[], options: LaneOptions): string {
  const prepared = prepare(ops, options);
  const workerIds = Array.from({ length: prepared.workers }, (_, w) => w);
  const rowSteps: number[] = [...prepared.steps, ...(prepared.hasPending ? [Infinity] : [])];
  // Grid row 1 is the header; step k of rowSteps is grid row k + 2.
  const rowIndex = new Map(rowSteps.map((step, k) => [step, k + 2]));
  const rowOf = (step: number): number => rowIndex.get(step) ?? 2;

  const cells: string[] = [];
  cells.push(
    `<div class="head step" style="${attr({ 'grid-column': 1, 'grid-row': 1 })}">step</div>`,
  );
  for (const w of workerIds) {
    const style = attr({ 'grid-column': w + 2, 'grid-row': 1 });
    cells.push(`<div class="head" style="${style}">${escapeHtml(workerName(w))}</div>`);
  }
  rowSteps.forEach((step, k) => {
    const row = k + 2;
    if (k % 2 === 1) {
      cells.push(
        `<div class="stripe" style="${attr({ 'grid-column': '1 / -1', 'grid-row': row })}"></div>`,
      );
    }
    const label = step === Infinity ? '∞' : String(step);
    cells.push(
      `<div class="step" style="${attr({ 'grid-column': 1, 'grid-row': row })}">${label}</div>`,
    );
  });
  for (const op of prepared.ops) cells.push(opBox(op, op.worker + 2, rowOf));

  const marks = prepared.ops
    .filter((op) => op.mark)
    .map(
      (op) =>
        `<div class="bad"><pre>${FAILED} ${escapeHtml(workerName(op.worker))}: ${escapeHtml(op.call)}\n` +
        `    expected: ${escapeHtml(op.mark?.expected ?? '')}\n` +
        `    observed: ${escapeHtml(op.mark?.observed ?? '')}</pre></div>`,
    );

  const columns = `auto repeat(${prepared.workers}, minmax(14em, 1fr))`;
  return [
    prepared.ops.length === 0 ? '<p>(no operations)</p>' : '',
    `<div class="lanes" style="${attr({ 'grid-template-columns': columns })}">`,
    ...cells,
    '</div>',
    ...(marks.length > 0
      ? ['<section class="marks">', '<h2>Offending operation</h2>', ...marks, '</section>']
      : []),
  ]
    .filter((l) => l !== '')
    .join('\n');
}
