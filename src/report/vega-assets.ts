/**
 * The chart libraries inlined into the HTML report (no network when it is opened): vega 5,
 * vega-lite 5 and vega-embed 6, the versions that run on Node 20. When they are not installed
 * the report still renders its tables and says how to get the charts.
 */
import fs from 'node:fs';
import path from 'node:path';

// Browser bundles sit beside each package's main file in build/ (vega-embed's package exports
// hide deep paths, so they are found from the main file rather than required by path).
const BUNDLES = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

export const CHART_PACKAGES_HINT = 'npm install vega@5 vega-lite@5 vega-embed@6';

let cached: string[] | null | undefined;

/** The three bundles' sources, or null when a package is missing. */
export function vegaBundles(): readonly string[] | null {
  if (cached !== undefined) return cached;
  try {
    cached = BUNDLES.map(([name, bundle]) =>
      fs
        .readFileSync(path.join(path.dirname(require.resolve(name)), bundle), 'utf8')
        // A literal "</script" inside an inline script would end it early.
        .replace(/<\/script/gi, '<\\/script'),
    );
  } catch {
    cached = null;
  }
  return cached;
}
