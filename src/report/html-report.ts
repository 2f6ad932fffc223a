/**
 * `report.html`: one self-contained page (inline CSS, data and chart libraries; a
 * Content-Security-Policy forbids every network request), rendered from the JSON report.
 */
import { escapeHtml, LANES_HTML_STYLE, renderLanesFragment } from '../engine/lanes';
import { chartSpecs } from './chart-specs';
import { renderMarkdown } from './markdown-report';
import { grouped, micros, percent, seconds, shardsLabel } from './format';
import type { FailureRecord, Report } from './report-schema';
import { CHART_PACKAGES_HINT, vegaBundles } from './vega-assets';

const PAGE_STYLE = `
.summary td, .summary th, table.scenarios td, table.scenarios th { padding: 2px 10px; }
table.scenarios { border-collapse: collapse; margin: 0.5em 0 1em 0; }
table.scenarios th { border-bottom: 1px solid #888; text-align: right; }
table.scenarios td { text-align: right; border-bottom: 1px solid #eee; }
table.scenarios td:first-child, table.scenarios th:first-child { text-align: left; }
.pass { color: #22863a; font-weight: bold; } .fail { color: #cb2431; font-weight: bold; }
.chart { margin: 1em 0; } .missing { color: #b08800; }
pre.case { background: #f6f8fa; padding: 8px; overflow-x: auto; }
`;

// Vega compiles expressions with Function(), hence 'unsafe-eval'; nothing may be fetched.
const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

/** JSON placed inside a <script> element: '<' escaped so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function scenarioTable(report: Report): string {
  const head =
    '<tr><th>scenario</th><th>result</th><th>duration</th><th>cases</th><th>operations</th>' +
    '<th>ops/s</th><th>error rate</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>';
  const rows = report.scenarios.map((s) => {
    const l = s.latencyMicros;
    const cells = [
      escapeHtml(s.name),
      s.passed ? '<span class="pass">✓</span>' : '<span class="fail">✗</span>',
      seconds(s.engineMs),
      grouped(s.cases),
      grouped(s.operations),
      grouped(s.operationsPerSecond),
      percent(s.errorRate),
      micros(l.p50),
      micros(l.p90),
      micros(l.p99),
      micros(l.p999),
      micros(l.max),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="scenarios">${head}${rows.join('')}</table>`;
}

function failureSection(failure: FailureRecord, index: number): string {
  const lanes =
    failure.lanes === null
      ? ''
      : renderLanesFragment(
          failure.lanes.ops.map((op) => ({
            ...op,
            response: op.response ?? Infinity,
          })),
          { workers: failure.lanes.workers },
        );
  return [
    `<section class="failure" id="failure-${index + 1}">`,
    `<h3>${index + 1}. ${escapeHtml(failure.engine)}: seed ${failure.seed}` +
      (failure.occurrences > 1 ? ` (found ${failure.occurrences} times)` : '') +
      '</h3>',
    lanes,
    `<pre class="case">${escapeHtml(failure.summary)}</pre>`,
    `<p>Replay: <code>${escapeHtml(failure.replay)}</code></p>`,
    failure.savedFile ? `<p>Saved: <code>${escapeHtml(failure.savedFile)}</code></p>` : '',
    '</section>',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export function renderHtml(report: Report): string {
  const bundles = vegaBundles();
  const charts = chartSpecs(report);
  const title = `Stampede ${report.kind} report: ${report.passed ? 'passed' : 'FAILED'}`;
  const chartDivs = charts
    .map((c) => `<div class="chart" id="chart-${c.id}" aria-label="${escapeHtml(c.title)}"></div>`)
    .join('\n');
  const chartScript =
    bundles === null
      ? `<p class="missing">Charts need the vega packages: <code>${escapeHtml(CHART_PACKAGES_HINT)}</code>, then write the report again.</p>`
      : [
          ...bundles.map((source) => `<script>${source}</script>`),
          `<script type="application/json" id="chart-specs">${scriptJson(charts)}</script>`,
          '<script>',
          'const specs = JSON.parse(document.getElementById("chart-specs").textContent);',
          'window.stampedeCharts = Promise.all(specs.map((c) =>',
          '  vegaEmbed("#chart-" + c.id, c.spec, { renderer: "svg", actions: false })));',
          '</script>',
        ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${LANES_HTML_STYLE}${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<table class="summary">',
    `<tr><th>target</th><td>${escapeHtml(report.target)}</td></tr>`,
    `<tr><th>status</th><td>${report.status}</td></tr>`,
    `<tr><th>wall time</th><td>${seconds(report.wallMs)} (started ${report.startedAt})</td></tr>`,
    `<tr><th>seeds</th><td>base ${report.baseSeed}, ${escapeHtml(shardsLabel(report.shards))}, ${report.batches.length} batch(es)</td></tr>`,
    `<tr><th>totals</th><td>${grouped(report.totals.cases)} cases, ${grouped(report.totals.operations)} operations, ${report.totals.failures} failure(s)</td></tr>`,
    `<tr><th>peak memory</th><td>${report.resources.peakRssMb} MB RSS, ${report.resources.peakHeapUsedMb} MB heap</td></tr>`,
    `<tr><th>peak CPU</th><td>${report.resources.peakCpuPercent}% of one core</td></tr>`,
    '</table>',
    '<h2>Scenarios</h2>',
    scenarioTable(report),
    '<h2>Over time</h2>',
    chartDivs,
    ...notesSection(report),
    '<h2>Failures</h2>',
    report.failures.length === 0 ? '<p>None.</p>' : report.failures.map(failureSection).join('\n'),
    '<details><summary>The same report as Markdown</summary>',
    `<pre>${escapeHtml(renderMarkdown(report))}</pre>`,
    '</details>',
    chartScript,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Batches that saw something worth reading that is not a failure. */
function notesSection(report: Report): string[] {
  const notes = report.batches.filter((b) => b.note !== undefined);
  if (notes.length === 0) return [];
  const items = notes.map(
    (b) => `<li>${escapeHtml(b.engine)}, seed ${b.seed}: ${escapeHtml(b.note ?? '')}</li>`,
  );
  return ['<h2>Notes</h2>', '<ul>', ...items, '</ul>'];
}
