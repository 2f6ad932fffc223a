import fc from 'fast-check';
import { renderLanes, renderLanesHtml, wrapText, type LaneOp } from '../src/engine/lanes';

/** The table part of a rendering: header, then one entry per row, each split into cells. */
function table(rendered: string, workers: number, columnWidth = 38) {
  const lines = rendered.split('\n');
  const headerAt = lines.findIndex((l) => l.startsWith('step |'));
  expect(headerAt).toBeGreaterThanOrEqual(0);
  const header = lines[headerAt]!;
  const stepWidth = header.indexOf(' |');
  const rows: { step: string; cells: string[] }[] = [];
  for (const line of lines.slice(headerAt + 2)) {
    if (line === '') break;
    const chars = Array.from(line.padEnd(stepWidth + 3 + workers * (columnWidth + 3)));
    const cells: string[] = [];
    for (let w = 0; w < workers; w++) {
      const start = stepWidth + 3 + w * (columnWidth + 3);
      cells.push(chars.slice(start, start + columnWidth).join(''));
    }
    rows.push({ step: chars.slice(0, stepWidth).join('').trim(), cells });
  }
  return { header, separator: lines[headerAt + 1]!, rows };
}

const completeTask: LaneOp = {
  worker: 2,
  invoke: 3,
  response: 6,
  call: 'store.completeTask(3)',
  outcome: 'throws NOT_FOUND (taskId)',
  mark: { expected: 'ok (id 3)', observed: 'throws NOT_FOUND (taskId)' },
};

const history: LaneOp[] = [
  { worker: 0, invoke: 1, response: 4, call: 'store.createTask(1)', outcome: 'ok (id 3)' },
  { worker: 1, invoke: 2, response: 2, call: 'store.getEpic(1)', outcome: 'ok' },
  completeTask,
  { worker: 1, invoke: 5, response: 7, call: 'store.listTasks(1)', outcome: 'ok [3]' },
];

describe('renderLanes', () => {
  it('has a step column and one column per worker, named from 1', () => {
    const { header, separator, rows } = table(renderLanes(history, { workers: 3 }), 3);
    expect(header.split(' | ').map((c) => c.trim())).toEqual([
      'step',
      'worker 1',
      'worker 2',
      'worker 3',
    ]);
    expect(separator.split('-+-')).toHaveLength(4);
    for (const row of rows) expect(row.cells).toHaveLength(3);
  });

  it('shows an idle worker as an empty column', () => {
    const { header, rows } = table(renderLanes(history.slice(0, 2), { workers: 4 }), 4);
    expect(header.split(' | ')).toHaveLength(5);
    for (const row of rows) expect(row.cells[3]!.trim()).toBe('');
  });

  it('has one row per step where something starts or ends, in time order', () => {
    const ops: LaneOp[] = [
      { worker: 0, invoke: 10, response: 50, call: 'a()', outcome: 'ok' },
      { worker: 1, invoke: 20, response: 20, call: 'b()', outcome: 'ok' },
    ];
    const { rows } = table(renderLanes(ops, { workers: 2 }), 2);
    expect(rows.map((r) => r.step)).toEqual(['10', '20', '50']);
  });

  it('draws the call at invoke, │ while running, and the outcome at response', () => {
    const { rows } = table(renderLanes(history, { workers: 3 }), 3);
    expect(rows.map((r) => r.step)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const worker1 = rows.map((r) => r.cells[0]!.trimEnd());
    expect(worker1).toEqual(['▶ store.createTask(1)', '│', '│', '◀ ok (id 3)', '', '', '']);
    const worker3 = rows.map((r) => r.cells[2]!.trimEnd());
    expect(worker3).toEqual([
      '',
      '',
      '▶ store.completeTask(3)',
      '│',
      '│',
      '✗ throws NOT_FOUND (taskId)',
      '',
    ]);
  });

  it('puts a call that returns at the step it started on one row', () => {
    const { rows } = table(renderLanes(history, { workers: 3 }), 3);
    const step2 = rows.find((r) => r.step === '2')!;
    expect(step2.cells[1]!.trimEnd()).toBe('▶ store.getEpic(1) → ok');
    expect(rows.filter((r) => r.cells[1]!.trimEnd() === '◀ ok').map((r) => r.step)).toEqual([]);
  });

  it('wraps a 120-character call onto continuation rows without losing a character', () => {
    const call = `store.createTask(${JSON.stringify({ title: 'x'.repeat(70), epicId: 12345 })})`;
    const padded = call + 'y'.repeat(120 - call.length);
    expect(padded).toHaveLength(120);
    const ops: LaneOp[] = [
      { worker: 1, invoke: 1, response: 2, call: padded, outcome: 'ok' },
      { worker: 0, invoke: 1, response: 2, call: 'other()', outcome: 'ok' },
    ];
    const rendered = renderLanes(ops, { workers: 2 });
    const { rows } = table(rendered, 2);
    const callRows = rows.slice(
      0,
      rows.findIndex((r) => r.step === '2'),
    );
    expect(callRows.length).toBeGreaterThan(1);
    expect(callRows.slice(1).every((r) => r.step === '')).toBe(true);
    const pieces = callRows.map((r, i) => {
      const cell = r.cells[1]!;
      expect(cell.slice(0, 2)).toBe(i === 0 ? '▶ ' : '  ');
      return cell.slice(2).trimEnd();
    });
    expect(pieces.join('')).toBe(padded);
    // The other worker's op is still running beside the continuation rows.
    expect(callRows.slice(1).map((r) => r.cells[0]!.trimEnd())).toEqual(
      callRows.slice(1).map(() => '│'),
    );
    for (const line of rendered.split('\n')) {
      expect(Array.from(line).length).toBeLessThanOrEqual(4 + 3 + 2 * 38 + 3);
    }
  });

  it('marks the offending op with ✗ and explains it below the table', () => {
    const rendered = renderLanes(history, { workers: 3, title: 'tracker-interleaved' });
    const lines = rendered.split('\n');
    expect(lines[0]).toBe('tracker-interleaved');
    expect(lines.slice(-3)).toEqual([
      '✗ worker 3: store.completeTask(3)',
      '    expected: ok (id 3)',
      '    observed: throws NOT_FOUND (taskId)',
    ]);
    expect(rendered.match(/✗/g)).toHaveLength(2); // the cell and the explanation
    expect(rendered).not.toContain('◀ throws NOT_FOUND');
  });

  it('marks a same-step offending op and aligns multi-line expected values', () => {
    const ops: LaneOp[] = [
      {
        worker: 0,
        invoke: 1,
        response: 1,
        call: 'store.getEpic(1)',
        outcome: 'ok',
        mark: { expected: 'line one\nline two', observed: 'ok' },
      },
    ];
    const rendered = renderLanes(ops, { workers: 1 });
    expect(rendered).toContain('✗ store.getEpic(1) → ok');
    expect(rendered).toContain('    expected: line one\n              line two\n');
  });

  it('ends with an ∞ row for a call that never returned', () => {
    const ops: LaneOp[] = [
      {
        worker: 0,
        invoke: 1,
        response: Infinity,
        call: 'store.deleteEpic(1)',
        outcome: 'never returned',
      },
      { worker: 1, invoke: 2, response: 3, call: 'b()', outcome: 'ok' },
    ];
    const { rows } = table(renderLanes(ops, { workers: 2 }), 2);
    expect(rows.map((r) => r.step)).toEqual(['1', '2', '3', '∞']);
    expect(rows.map((r) => r.cells[0]!.trimEnd())).toEqual([
      '▶ store.deleteEpic(1)',
      '│',
      '│',
      '⋯ never returned',
    ]);
  });

  it('shows control characters from user data as escapes, never raw', () => {
    const ops: LaneOp[] = [
      {
        worker: 0,
        invoke: 1,
        response: 2,
        call: 'f("a\tb\nc")',
        outcome: '\u001b[31mred\u001b[0m',
      },
    ];
    const rendered = renderLanes(ops, { workers: 1 });
    expect(rendered).not.toContain('\u001b');
    expect(rendered).not.toContain('\t');
    expect(rendered).toContain('f("a\\tb\\nc")');
    expect(rendered).toContain('\\x1b[31mred');
  });

  it('rejects ops outside the worker columns and responses before invokes', () => {
    const op: LaneOp = { worker: 3, invoke: 1, response: 2, call: 'f()', outcome: 'ok' };
    expect(() => renderLanes([op], { workers: 3 })).toThrow(/worker 3/);
    expect(() => renderLanes([{ ...op, worker: 0, response: 0 }], { workers: 3 })).toThrow(
      /response 0 before invoke 1/,
    );
    expect(() => renderLanes([], { workers: 0 })).toThrow(RangeError);
    expect(() => renderLanes([], { workers: 1, columnWidth: 3 })).toThrow(RangeError);
  });

  it('is deterministic', () => {
    expect(renderLanes(history, { workers: 3 })).toBe(renderLanes(history, { workers: 3 }));
    expect(renderLanesHtml(history, { workers: 3 })).toBe(renderLanesHtml(history, { workers: 3 }));
  });

  it('orders ops by invoke whatever the input order', () => {
    const expectedText = renderLanes(history, { workers: 3 });
    const expectedHtml = renderLanesHtml(history, { workers: 3 });
    expect(renderLanes([...history].reverse(), { workers: 3 })).toBe(expectedText);
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length }), (shuffled) => {
        expect(renderLanes(shuffled, { workers: 3 })).toBe(expectedText);
        expect(renderLanesHtml(shuffled, { workers: 3 })).toBe(expectedHtml);
      }),
    );
  });
});

describe('wrapText', () => {
  it('never loses or reorders a character and respects the width', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 1, max: 60 }),
        (text, width) => {
          const pieces = wrapText(text, width);
          expect(pieces.join('')).toBe(text);
          for (const piece of pieces) expect(Array.from(piece).length).toBeLessThanOrEqual(width);
        },
      ),
    );
  });

  it('prefers to break after a space or a comma', () => {
    expect(wrapText('alpha beta gamma', 12)).toEqual(['alpha beta ', 'gamma']);
    expect(wrapText('f(1,22,333)', 8)).toEqual(['f(1,22,', '333)']);
  });
});

describe('renderLanesHtml', () => {
  const hostile: LaneOp[] = [
    {
      worker: 0,
      invoke: 1,
      response: 3,
      call: 'store.createTask({"title":"<script>alert(1)</script>"})',
      outcome: 'ok (id 1)',
    },
    {
      worker: 1,
      invoke: 2,
      response: 4,
      call: 'store.rename(1, "Tom & Jerry\'s")',
      outcome: 'throws NOT_FOUND',
      mark: { expected: 'ok <renamed>', observed: 'throws NOT_FOUND & more' },
    },
  ];

  it('escapes every piece of user text', () => {
    const html = renderLanesHtml(hostile, { workers: 2, title: '<b>t</b> & co' });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Tom &amp; Jerry&#39;s');
    expect(html).toContain('&quot;title&quot;');
    expect(html).toContain('<title>&lt;b&gt;t&lt;/b&gt; &amp; co</title>');
    expect(html).toContain('ok &lt;renamed&gt;');
    expect(html).toContain('throws NOT_FOUND &amp; more');
    // Every & is the start of an entity we produced.
    expect(html.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  });

  it('is a self-contained page with no scripts or external resources', () => {
    const html = renderLanesHtml(hostile, { workers: 2 });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|https?:|url\(|@import/i);
    expect(html).toContain("default-src 'none'");
  });

  it('draws one column per worker and ops as boxes spanning their rows', () => {
    const html = renderLanesHtml(hostile, { workers: 3 });
    expect(html).toContain('repeat(3, minmax(14em, 1fr))');
    for (const name of ['worker 1', 'worker 2', 'worker 3'])
      expect(html).toContain(`>${name}</div>`);
    // Steps 1..4 are grid rows 2..5: op A spans steps 1-3, op B steps 2-4.
    expect(html).toContain('class="op" style="grid-column:2;grid-row:2 / 5"');
    expect(html).toContain('class="op bad" style="grid-column:3;grid-row:3 / 6"');
    expect(html).toContain('<dt>expected</dt><dd>ok &lt;renamed&gt;</dd>');
    expect(html).toContain('<dt>observed</dt><dd>throws NOT_FOUND &amp; more</dd>');
  });
});
