/**
 * Saved failures, like Hypothesis's example database: a failure found once is written to
 * `.stampede/failures/` and replayed first on the next run, until it passes and is removed.
 *
 * The files are data from disk (possibly edited, truncated, or planted by someone else), so
 * reading them is defensive: size-capped before parsing, symlinks and non-regular files refused,
 * parsed as plain JSON and validated by a strict schema. Nothing in a file is ever executed, and
 * every problem comes back as a `FailureFileError` naming the file, the field and the limit.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

export const FAILURE_FILE_VERSION = 1;
export const DEFAULT_FAILURE_DIR = path.join('.stampede', 'failures');
/** Far above any real failure file; stops a planted huge file before it reaches JSON.parse. */
export const MAX_FAILURE_FILE_BYTES = 256 * 1024;

export type FailureEngine = 'sequential' | 'interleaved' | 'parallel' | 'leak';

export interface SavedFailure {
  readonly version: 1;
  readonly engine: FailureEngine;
  /** Which property, e.g. `tracker-interleaved`: [a-z0-9-]{1,64}. */
  readonly property: string;
  /** The target's name when found (informational: never loaded from here). */
  readonly target: string;
  /** 32-bit integer. */
  readonly seed: number;
  /** fast-check path (`/^\d+(:\d+)*$/` or ''), at most 10_000 characters. */
  readonly path: string;
  /** Engine knobs (workers, scheduleKind...). */
  readonly settings: Readonly<Record<string, number | boolean | string>>;
  /** First lines of the failure, at most 20_000 characters. */
  readonly summary: string;
  /** The replay command printed, at most 2_000 characters. */
  readonly replay: string;
  /** ISO date-time. */
  readonly createdAt: string;
}

export type NewFailure = Omit<SavedFailure, 'version' | 'createdAt'>;

export type FailureFileErrorCode = 'UNREADABLE' | 'TOO_LARGE' | 'NOT_JSON' | 'INVALID';

export class FailureFileError extends Error {
  override readonly name = 'FailureFileError';

  constructor(
    readonly code: FailureFileErrorCode,
    readonly file: string,
    /** The problem alone, without the file name. */
    readonly problem: string,
  ) {
    super(`${displayPath(file)}: ${problem}`);
  }
}

export type ListedFailure =
  | { ok: true; failure: SavedFailure; file: string }
  | { ok: false; error: FailureFileError; file: string };

// ---------------------------------------------------------------------------------------------
// Schema

export const LIMITS = {
  propertyPattern: /^[a-z0-9-]{1,64}$/,
  targetChars: 200,
  pathChars: 10_000,
  settingsKeys: 32,
  settingKeyPattern: /^[a-zA-Z0-9_]{1,40}$/,
  settingStringChars: 200,
  summaryChars: 20_000,
  replayChars: 2_000,
} as const;

// Keys that mean something to JavaScript objects: legal by the key pattern, but a record built
// from them could lose the entry or reach Object.prototype, so they are refused outright.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// C0 and C1 controls (ESC included) would let a file rewrite the terminal when printed.
// eslint-disable-next-line no-control-regex
const NO_CONTROLS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
// A multi-line summary keeps its newlines and tabs.
// eslint-disable-next-line no-control-regex
const NO_CONTROLS_BUT_LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;

const INT32_MIN = -(2 ** 31);
// fast-check takes a seed in either signed or unsigned 32-bit form; both replay the same.
const UINT32_MAX = 2 ** 32 - 1;

function text(maxChars: number, allowLines = false) {
  const what = `must be a string of at most ${maxChars} characters without control characters`;
  return z
    .string({ error: what })
    .max(maxChars, { error: what })
    .regex(allowLines ? NO_CONTROLS_BUT_LINES : NO_CONTROLS, { error: what });
}

const seedMessage = 'must be a 32-bit integer';
const settingValueMessage =
  `must be a number, a boolean, or a string of at most ${LIMITS.settingStringChars} ` +
  'characters without control characters';

const settingsSchema = z
  .record(
    z
      .string()
      .regex(LIMITS.settingKeyPattern, {
        error: 'must be 1-40 letters, digits or underscores',
      })
      .refine((key) => !RESERVED_KEYS.has(key), { error: 'is reserved and not allowed' }),
    z.union([z.number(), z.boolean(), text(LIMITS.settingStringChars)], {
      error: settingValueMessage,
    }),
    { error: 'must be an object of settings' },
  )
  .refine((settings) => Object.keys(settings).length <= LIMITS.settingsKeys, {
    error: `must have at most ${LIMITS.settingsKeys} keys`,
  });

const savedFailureSchema = z.strictObject({
  version: z.literal(FAILURE_FILE_VERSION),
  engine: z.enum(['sequential', 'interleaved', 'parallel', 'leak'], {
    error: 'must be one of "sequential", "interleaved", "parallel", "leak"',
  }),
  property: z
    .string({ error: 'must be a string' })
    .regex(LIMITS.propertyPattern, { error: 'must be 1-64 characters of a-z, 0-9 and -' }),
  target: text(LIMITS.targetChars),
  seed: z
    .number({ error: seedMessage })
    .int({ error: seedMessage })
    .min(INT32_MIN, { error: seedMessage })
    .max(UINT32_MAX, { error: seedMessage }),
  path: z
    .string({ error: 'must be a fast-check path such as "3:0:1" (or "")' })
    .max(LIMITS.pathChars, { error: `must be at most ${LIMITS.pathChars} characters` })
    .regex(/^(\d+(:\d+)*)?$/, {
      error: 'must be a fast-check path: numbers separated by ":" (or "")',
    }),
  settings: settingsSchema,
  summary: text(LIMITS.summaryChars, true),
  replay: text(LIMITS.replayChars),
  createdAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }),
});

// ---------------------------------------------------------------------------------------------
// Validation messages

type Issue = z.core.$ZodIssue;

function fieldName(segments: readonly PropertyKey[]): string {
  return JSON.stringify(segments.map(String).join('.'));
}

/** The value at `segments` in the raw data, or `missing` when some key is absent. */
function valueAt(
  data: unknown,
  segments: readonly PropertyKey[],
): { missing: true } | { missing: false; value: unknown } {
  let current = data;
  for (const segment of segments) {
    if (
      typeof current !== 'object' ||
      current === null ||
      !Object.prototype.hasOwnProperty.call(current, segment)
    ) {
      return { missing: true };
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { missing: false, value: current };
}

/** A short, terminal-safe rendering of a bad value (JSON escapes any control characters). */
function preview(value: unknown): string {
  if (typeof value === 'string' && value.length > 60) {
    return `a string of ${value.length} characters`;
  }
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    return 'a deeply nested value'; // JSON.stringify recurses; the nesting is the file's choice
  }
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function describeIssue(issue: Issue, data: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => `unknown field ${fieldName([...issue.path, key])} (not part of the format)`)
      .join('; ');
  }
  if (issue.code === 'invalid_key') {
    const key = issue.path[issue.path.length - 1];
    const parent = issue.path.slice(0, -1);
    const reason = issue.issues[0]?.message ?? 'is not allowed';
    return `field ${fieldName(parent)} has key ${JSON.stringify(String(key))}, which ${reason}`;
  }
  const found = valueAt(data, issue.path);
  if (found.missing) return `field ${fieldName(issue.path)} is missing`;
  return `field ${fieldName(issue.path)} ${issue.message} (got ${preview(found.value)})`;
}

/**
 * Paths of objects below the top level that own a `__proto__` key. zod skips such a key in a
 * record (so `settings: {"__proto__": 1}` would pass with the entry silently gone); refusing it
 * keeps "what the file says" and "what was loaded" the same. The top level is left to the strict
 * schema, which reports it as an unknown field. Iterative: nesting depth is attacker-chosen.
 */
function nestedProtoKeys(data: unknown): PropertyKey[][] {
  interface Node {
    readonly value: unknown;
    readonly key: string;
    readonly parent: Node | undefined;
  }
  // Parent links instead of copied paths, so deep nesting stays linear.
  const pathOf = (node: Node): PropertyKey[] => {
    const at: string[] = [];
    for (let n: Node | undefined = node; n?.parent !== undefined; n = n.parent) at.push(n.key);
    return at.reverse();
  };
  const found: PropertyKey[][] = [];
  const pending: Node[] = [{ value: data, key: '', parent: undefined }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const { value } = node;
    if (typeof value !== 'object' || value === null) continue;
    if (node.parent !== undefined && Object.prototype.hasOwnProperty.call(value, '__proto__')) {
      found.push(pathOf(node));
    }
    for (const [key, child] of Object.entries(value))
      pending.push({ value: child, key, parent: node });
  }
  return found.sort((a, b) => (a.join('.') < b.join('.') ? -1 : 1));
}

const MAX_REPORTED_ISSUES = 5;

/** Validates parsed JSON; throws INVALID naming every field that is wrong (up to a few). */
function validate(data: unknown, file: string): SavedFailure {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const kind = data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data;
    throw new FailureFileError('INVALID', file, `must be a JSON object (got ${kind})`);
  }
  // Checked first so a file from a newer stampede says so, instead of listing its new fields.
  if (Object.prototype.hasOwnProperty.call(data, 'version')) {
    const version = (data as Record<string, unknown>).version;
    if (version !== FAILURE_FILE_VERSION) {
      throw new FailureFileError(
        'INVALID',
        file,
        `unsupported version ${preview(version)} (this stampede reads version ${FAILURE_FILE_VERSION})`,
      );
    }
  }
  const result = savedFailureSchema.safeParse(data);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => describeIssue(issue, data))),
    ...nestedProtoKeys(data).map(
      (at) => `field ${fieldName(at)} has key "__proto__", which is reserved and not allowed`,
    ),
  ];
  if (result.success && problems.length === 0) return result.data;
  const shown = problems.slice(0, MAX_REPORTED_ISSUES);
  if (problems.length > shown.length) shown.push(`and ${problems.length - shown.length} more`);
  throw new FailureFileError('INVALID', file, shown.join('; '));
}

// ---------------------------------------------------------------------------------------------
// Reading

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative
    : file;
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice() || stat.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

function tooLarge(file: string, size: number | string): FailureFileError {
  return new FailureFileError(
    'TOO_LARGE',
    file,
    `is ${size} bytes, over the ${MAX_FAILURE_FILE_BYTES}-byte limit for a saved failure`,
  );
}

/** Reads at most MAX+1 bytes of a regular file, refusing anything else. */
function readCapped(file: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    throw new FailureFileError('UNREADABLE', file, `cannot be read (${errnoCode(error)})`);
  }
  if (!stat.isFile()) {
    throw new FailureFileError(
      'UNREADABLE',
      file,
      `is ${kindOf(stat)}; a saved failure must be a regular file`,
    );
  }
  if (stat.size > MAX_FAILURE_FILE_BYTES) throw tooLarge(file, stat.size);
  // O_NOFOLLOW closes the gap between lstat and open (a swap to a symlink); O_NONBLOCK keeps a
  // swapped-in FIFO from hanging the open. Both are 0 where the platform lacks them.
  const flags =
    fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch (error) {
    throw new FailureFileError('UNREADABLE', file, `cannot be opened (${errnoCode(error)})`);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) {
      throw new FailureFileError('UNREADABLE', file, 'is not a regular file');
    }
    const buffer = Buffer.alloc(MAX_FAILURE_FILE_BYTES + 1);
    let length = 0;
    // The file may grow after the stat; never read past the cap.
    while (length < buffer.length) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_FAILURE_FILE_BYTES) throw tooLarge(file, `over ${MAX_FAILURE_FILE_BYTES}`);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof FailureFileError) throw error;
    throw new FailureFileError('UNREADABLE', file, `cannot be read (${errnoCode(error)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes -> plain JSON data (JSON.parse only builds plain objects, arrays and primitives). */
function parseJson(bytes: Buffer, file: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new FailureFileError('NOT_JSON', file, 'is not valid UTF-8 text');
  }
  if (text.trim() === '') throw new FailureFileError('NOT_JSON', file, 'is empty (expected JSON)');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FailureFileError('NOT_JSON', file, `is not valid JSON (${reason})`);
  }
}

export function readFailureFile(file: string): SavedFailure {
  return validate(parseJson(readCapped(file), file), file);
}

// ---------------------------------------------------------------------------------------------
// Writing

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** `<property>-<seed>-<short hash of path>.json`: one file per distinct failure. */
export function failureFileName(failure: Pick<NewFailure, 'property' | 'seed' | 'path'>): string {
  return `${failure.property}-${failure.seed}-${shortHash(failure.path)}.json`;
}

function fileNamePattern(property: string): RegExp {
  // property is validated against [a-z0-9-], so it needs no escaping beyond '-', which is
  // literal outside a character class.
  return new RegExp(`^${property}--?\\d+-[0-9a-f]{8}\\.json$`);
}

// eslint-disable-next-line no-control-regex
const CSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const SUMMARY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Summaries come from error output, which may carry ANSI colours or be very long; keep what
 * fits rather than refuse to save the failure.
 */
function normaliseSummary(summary: string): string {
  const plain = summary
    .replace(CSI_SEQUENCE, '') // colour and cursor codes carry no information once saved
    // Any other control character stays visible as an escape instead of acting on a terminal.
    .replace(SUMMARY_CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (plain.length <= LIMITS.summaryChars) return plain;
  const marker = '\n... (truncated)';
  const cut = plain.slice(0, LIMITS.summaryChars - marker.length);
  const lastLine = cut.lastIndexOf('\n');
  return (lastLine > 0 ? cut.slice(0, lastLine) : cut) + marker;
}

function sortedSettings(
  settings: Readonly<Record<string, number | boolean | string>>,
): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const key of Object.keys(settings).sort()) {
    const value = settings[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function serialise(failure: SavedFailure): string {
  // Fixed key order so the same failure always produces the same bytes.
  const ordered: SavedFailure = {
    version: failure.version,
    engine: failure.engine,
    property: failure.property,
    target: failure.target,
    seed: failure.seed,
    path: failure.path,
    settings: sortedSettings(failure.settings),
    summary: failure.summary,
    replay: failure.replay,
    createdAt: failure.createdAt,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Temp file in the same directory + rename: readers never see a half-written file. */
function writeAtomically(file: string, content: string): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(temp, 'wx', 0o644);
  try {
    try {
      fs.writeFileSync(fd, content, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Store

export interface FailureStoreOptions {
  /** Clock for `createdAt` (tests pin it). */
  readonly now?: () => Date;
}

export class FailureStore {
  /** Absolute, so a later chdir does not move the store. */
  readonly dir: string;
  private readonly now: () => Date;

  constructor(dir: string = DEFAULT_FAILURE_DIR, options: FailureStoreOptions = {}) {
    this.dir = path.resolve(dir);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Writes atomically (temp file + rename), named `<property>-<seed>-<short hash of path>.json`;
   * returns the file path. Saving the same failure again keeps one file and its first
   * `createdAt`, so "oldest first" stays the order failures were found.
   */
  save(failure: NewFailure): string {
    const file = path.join(this.dir, failureFileName(failure));
    const previous = this.tryLoad(file);
    const candidate: SavedFailure = {
      version: FAILURE_FILE_VERSION,
      engine: failure.engine,
      property: failure.property,
      target: failure.target,
      seed: failure.seed,
      path: failure.path,
      settings: failure.settings,
      summary: normaliseSummary(failure.summary),
      replay: failure.replay,
      createdAt: previous?.createdAt ?? this.now().toISOString(),
    };
    // Never write a file this store would refuse to load.
    const valid = validate(JSON.parse(JSON.stringify(candidate)) as unknown, file);
    const content = serialise(valid);
    if (previous && serialise(previous) === content) return file;
    fs.mkdirSync(this.dir, { recursive: true });
    writeAtomically(file, content);
    return file;
  }

  /**
   * Every saved failure (for `property`, if given), oldest first. A corrupt or hostile file
   * becomes an error entry; this never throws for a bad file.
   */
  list(property?: string): ListedFailure[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return [];
      throw error;
    }
    const matchesName = property === undefined ? undefined : fileNamePattern(property);
    const entries: { entry: ListedFailure; time: number; name: string }[] = [];
    for (const name of names) {
      // Hidden names are temp files mid-write (or not ours).
      if (name.startsWith('.') || !name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      const entry = this.entryFor(file);
      if (property !== undefined) {
        const belongs = entry.ok
          ? entry.failure.property === property
          : (matchesName?.test(name) ?? false);
        if (!belongs) continue;
      }
      entries.push({ entry, time: entryTime(entry), name });
    }
    entries.sort((a, b) => a.time - b.time || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return entries.map((e) => e.entry);
  }

  /** Loads one file (as given on a command line); throws FailureFileError saying what is wrong. */
  load(file: string): SavedFailure {
    return readFailureFile(file);
  }

  /**
   * Removes a saved failure once it passes (the bug is fixed). Only files inside this store are
   * removed: a path given on a command line must not become "delete any file". Removing a file
   * that is already gone is not an error.
   */
  remove(file: string): void {
    const resolved = path.resolve(file);
    if (path.dirname(resolved) !== this.dir || !resolved.endsWith('.json')) {
      throw new Error(
        `${displayPath(file)}: not a saved failure in ${displayPath(this.dir)}; refusing to remove it`,
      );
    }
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(resolved);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return;
      throw new FailureFileError('UNREADABLE', file, `cannot be removed (${errnoCode(error)})`);
    }
    if (stat.isDirectory()) {
      throw new FailureFileError('UNREADABLE', file, 'is a directory; refusing to remove it');
    }
    // unlink removes a symlink itself, never its target.
    fs.unlinkSync(resolved);
  }

  private entryFor(file: string): ListedFailure {
    try {
      return { ok: true, failure: readFailureFile(file), file };
    } catch (error) {
      const wrapped =
        error instanceof FailureFileError
          ? error
          : new FailureFileError('UNREADABLE', file, `cannot be read (${String(error)})`);
      return { ok: false, error: wrapped, file };
    }
  }

  private tryLoad(file: string): SavedFailure | undefined {
    try {
      return readFailureFile(file);
    } catch {
      return undefined; // missing or corrupt: the new save replaces it
    }
  }
}

/** Sort key: when the failure was found, or (for unreadable files) when the file was written. */
function entryTime(entry: ListedFailure): number {
  if (entry.ok) return Date.parse(entry.failure.createdAt);
  try {
    return fs.lstatSync(entry.file).mtimeMs;
  } catch {
    return 0;
  }
}
