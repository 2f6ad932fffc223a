/**
 * The three report files in one folder (`report.md`, `report.json`, `report.html`), each
 * written to a temporary file and renamed, so a kill never leaves a half-written report; and
 * the JSON read back defensively (size cap, plain JSON, schema) for `stampede report merge`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { renderHtml } from './html-report';
import { renderMarkdown } from './markdown-report';
import { reportSchema, REPORT_FORMAT, REPORT_VERSION, type Report } from './report-schema';

export const DEFAULT_REPORT_DIR = 'stampede-report';
export const REPORT_FILES = { markdown: 'report.md', json: 'report.json', html: 'report.html' };
const MAX_REPORT_BYTES = 200 * 1024 * 1024;

export class ReportFileError extends Error {
  override readonly name = 'ReportFileError';
}

function writeAtomically(file: string, content: string): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    fs.writeFileSync(temp, content, { encoding: 'utf8', flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes the three files; returns their paths. The JSON is validated before anything is written. */
export function writeReport(
  dir: string,
  report: Report,
): Record<keyof typeof REPORT_FILES, string> {
  const valid = reportSchema.parse(report);
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    markdown: path.join(dir, REPORT_FILES.markdown),
    json: path.join(dir, REPORT_FILES.json),
    html: path.join(dir, REPORT_FILES.html),
  };
  writeAtomically(files.json, `${JSON.stringify(valid, null, 2)}\n`);
  writeAtomically(files.markdown, renderMarkdown(valid));
  writeAtomically(files.html, renderHtml(valid));
  return files;
}

/** A report.json, or a folder holding one; throws ReportFileError saying what is wrong. */
export function readReport(location: string): Report {
  let file = location;
  try {
    if (fs.statSync(location).isDirectory()) file = path.join(location, REPORT_FILES.json);
  } catch {
    throw new ReportFileError(`${location}: no such file or folder`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    throw new ReportFileError(`${location}: no ${REPORT_FILES.json} there`);
  }
  if (!stat.isFile()) throw new ReportFileError(`${file}: not a regular file`);
  if (stat.size > MAX_REPORT_BYTES) {
    throw new ReportFileError(
      `${file}: ${stat.size} bytes, over the ${MAX_REPORT_BYTES}-byte limit`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ReportFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const header = data as { format?: unknown; version?: unknown } | null;
  if (typeof header !== 'object' || header === null || header.format !== REPORT_FORMAT) {
    throw new ReportFileError(`${file}: not a Stampede report (no "format": "${REPORT_FORMAT}")`);
  }
  if (header.version !== REPORT_VERSION) {
    throw new ReportFileError(
      `${file}: report version ${JSON.stringify(header.version)}; this stampede reads version ${REPORT_VERSION}`,
    );
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `field "${i.path.join('.')}" ${i.message}`);
    throw new ReportFileError(`${file}: not a valid report: ${issues.join('; ')}`);
  }
  return parsed.data;
}
