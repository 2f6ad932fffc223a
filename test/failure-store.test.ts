import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FAILURE_FILE_VERSION,
  FailureFileError,
  FailureStore,
  MAX_FAILURE_FILE_BYTES,
  type NewFailure,
  type SavedFailure,
} from '../src/engine/failure-store';

const failure: NewFailure = {
  engine: 'interleaved',
  property: 'tracker-interleaved',
  target: 'sqlite',
  seed: -1234567,
  path: '3:0:1',
  settings: { workers: 3, scheduleKind: 'random', shrink: true },
  summary: "No ordering of the workers' calls explains what they observed:\n  ! step 6",
  replay: 'STAMPEDE_SEED=-1234567 STAMPEDE_PATH=3:0:1 npx stampede run tracker-interleaved',
};

/** A valid file body, as save() would write it. */
function validFile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    ...failure,
    createdAt: '2024-05-01T12:00:00.000Z',
    ...overrides,
  };
}

let dir: string;
let clock: number;
let store: FailureStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-failures-'));
  clock = Date.parse('2024-05-01T12:00:00.000Z');
  // Each save happens one second after the previous one.
  store = new FailureStore(dir, { now: () => new Date((clock += 1000)) });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer | Record<string, unknown>): string {
  const file = path.join(dir, name);
  const body =
    typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content);
  fs.writeFileSync(file, body);
  return file;
}

/** The FailureFileError that loading `file` throws. */
function loadError(file: string): FailureFileError {
  try {
    store.load(file);
  } catch (error) {
    expect(error).toBeInstanceOf(FailureFileError);
    return error as FailureFileError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe('FailureStore: saving and loading', () => {
  it('round-trips a failure', () => {
    const file = store.save(failure);
    expect(path.dirname(file)).toBe(path.resolve(dir));
    expect(path.basename(file)).toMatch(/^tracker-interleaved--1234567-[0-9a-f]{8}\.json$/);
    const loaded = store.load(file);
    expect(loaded).toEqual({
      ...failure,
      version: FAILURE_FILE_VERSION,
      createdAt: '2024-05-01T12:00:01.000Z',
    });
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    // No temp files left behind.
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
  });

  it('saves the same failure twice as one unchanged file', () => {
    const first = store.save(failure);
    const bytes = fs.readFileSync(first, 'utf8');
    const second = store.save({
      ...failure,
      settings: { shrink: true, scheduleKind: 'random', workers: 3 },
    });
    expect(second).toBe(first);
    expect(fs.readdirSync(dir)).toHaveLength(1);
    expect(fs.readFileSync(second, 'utf8')).toBe(bytes);
  });

  it('keeps the first createdAt when a failure is saved again with a new summary', () => {
    const file = store.save(failure);
    store.save({ ...failure, summary: 'newer wording' });
    expect(store.load(file)).toMatchObject({
      summary: 'newer wording',
      createdAt: '2024-05-01T12:00:01.000Z',
    });
  });

  it('names different paths and seeds apart', () => {
    const a = store.save(failure);
    const b = store.save({ ...failure, path: '3:0' });
    const c = store.save({ ...failure, seed: 42 });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('strips colour codes from a summary and shortens a very long one', () => {
    const file = store.save({
      ...failure,
      summary: `\u001b[31mred\u001b[0m bell\u0007\n${'line\n'.repeat(10_000)}`,
    });
    const { summary } = store.load(file);
    expect(summary.startsWith('red bell\\x07\n')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(20_000);
    expect(summary.endsWith('... (truncated)')).toBe(true);
  });

  it('refuses to save what it could not load back', () => {
    expect(() => store.save({ ...failure, seed: 1.5 })).toThrow(
      /field "seed" must be a 32-bit integer \(got 1\.5\)/,
    );
    expect(() => store.save({ ...failure, property: 'Bad Name' })).toThrow(/field "property"/);
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });

  it('uses .stampede/failures under the working directory by default', () => {
    expect(new FailureStore().dir).toBe(path.resolve('.stampede', 'failures'));
  });
});

describe('FailureStore: list', () => {
  it('returns nothing when the directory does not exist', () => {
    expect(new FailureStore(path.join(dir, 'absent')).list()).toEqual([]);
  });

  it('lists failures oldest first and filters by property', () => {
    const a = store.save({ ...failure, seed: 3 });
    const b = store.save({ ...failure, seed: 1, property: 'tracker' });
    const c = store.save({ ...failure, seed: 2 });
    expect(store.list().map((e) => e.file)).toEqual([a, b, c]);
    expect(store.list('tracker-interleaved').map((e) => e.file)).toEqual([a, c]);
    expect(store.list('tracker').map((e) => e.file)).toEqual([b]);
    expect(store.list('nothing')).toEqual([]);
  });

  it('returns the good files and one error entry per bad file, without throwing', () => {
    const good = store.save(failure);
    const notJson = write('tracker-interleaved-1-00000000.json', '{nope');
    const wrongVersion = write('tracker-interleaved-2-00000000.json', validFile({ version: 2 }));
    fs.mkdirSync(path.join(dir, 'x.json'));
    fs.symlinkSync(good, path.join(dir, 'link.json'));
    write('.half-written.json.123.tmp', '{');
    write('notes.txt', 'not a failure');

    const entries = store.list();
    expect(entries).toHaveLength(5);
    const byName = new Map(entries.map((e) => [path.basename(e.file), e]));
    expect(byName.get(path.basename(good))).toMatchObject({
      ok: true,
      failure: { seed: failure.seed },
    });
    const codeOf = (name: string): string | undefined => {
      const entry = byName.get(name);
      return entry && !entry.ok ? entry.error.code : undefined;
    };
    expect(codeOf(path.basename(notJson))).toBe('NOT_JSON');
    expect(codeOf(path.basename(wrongVersion))).toBe('INVALID');
    expect(codeOf('x.json')).toBe('UNREADABLE');
    expect(codeOf('link.json')).toBe('UNREADABLE');

    // Filtered by property: bad files count when their name says they belong to it.
    const forProperty = store.list('tracker-interleaved');
    expect(forProperty.map((e) => path.basename(e.file)).sort()).toEqual(
      [good, notJson, wrongVersion].map((f) => path.basename(f)).sort(),
    );
    expect(store.list('tracker')).toEqual([]);
  });
});

describe('FailureStore: bad files', () => {
  const cases: [string, string | Buffer | Record<string, unknown>, string, RegExp][] = [
    ['empty', '', 'NOT_JSON', /is empty/],
    ['not JSON', 'seed: 42', 'NOT_JSON', /is not valid JSON/],
    ['truncated JSON', JSON.stringify(validFile()).slice(0, 80), 'NOT_JSON', /is not valid JSON/],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'NOT_JSON', /UTF-8/],
    ['an array', '[1, 2]', 'INVALID', /must be a JSON object \(got an array\)/],
    [
      'wrong version',
      validFile({ version: 2 }),
      'INVALID',
      /unsupported version 2 \(this stampede reads version 1\)/,
    ],
    [
      'missing field',
      (({ seed: _seed, ...rest }) => rest)(validFile()),
      'INVALID',
      /field "seed" is missing/,
    ],
    ['extra field', validFile({ extra: 1 }), 'INVALID', /unknown field "extra"/],
    [
      'seed 1.5',
      validFile({ seed: 1.5 }),
      'INVALID',
      /field "seed" must be a 32-bit integer \(got 1\.5\)/,
    ],
    [
      'seed 2**40',
      validFile({ seed: 2 ** 40 }),
      'INVALID',
      /field "seed" must be a 32-bit integer \(got 1099511627776\)/,
    ],
    [
      'seed "42"',
      validFile({ seed: '42' }),
      'INVALID',
      /field "seed" must be a 32-bit integer \(got "42"\)/,
    ],
    [
      'path "1:a"',
      validFile({ path: '1:a' }),
      'INVALID',
      /field "path" must be a fast-check path.*\(got "1:a"\)/,
    ],
    [
      'path too long',
      validFile({ path: '1:'.repeat(5001) + '1' }),
      'INVALID',
      /field "path" must be at most 10000 characters/,
    ],
    [
      'nested setting',
      validFile({ settings: { workers: { nested: 1 } } }),
      'INVALID',
      /field "settings.workers" must be a number, a boolean, or a string.*\(got \{"nested":1\}\)/,
    ],
    [
      'control character in a setting',
      validFile({ settings: { scheduleKind: 'ran\u001bdom' } }),
      'INVALID',
      /field "settings.scheduleKind" .*without control characters \(got "ran\\u001bdom"\)/,
    ],
    [
      'bad setting key',
      validFile({ settings: { 'bad key': 1 } }),
      'INVALID',
      /field "settings" has key "bad key", which must be 1-40 letters, digits or underscores/,
    ],
    [
      'too many settings',
      validFile({
        settings: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])),
      }),
      'INVALID',
      /field "settings" must have at most 32 keys/,
    ],
    ['bad engine', validFile({ engine: 'quantum' }), 'INVALID', /field "engine" must be one of/],
    [
      'bad date',
      validFile({ createdAt: 'yesterday' }),
      'INVALID',
      /field "createdAt" must be an ISO date-time/,
    ],
    [
      'long replay',
      validFile({ replay: 'x'.repeat(2001) }),
      'INVALID',
      /field "replay" must be a string of at most 2000 characters .*\(got a string of 2001 characters\)/,
    ],
  ];

  it.each(cases)('%s', (name, content, code, message) => {
    const file = write(`${name.replace(/\W+/g, '-')}.json`, content);
    const error = loadError(file);
    expect(error.code).toBe(code);
    expect(error.file).toBe(file);
    expect(error.message).toMatch(message);
    // The message starts with the file (outside the working directory: as given).
    expect(error.message.startsWith(`${file}: `)).toBe(true);
  });

  it('a 300 KiB file is TOO_LARGE before it is parsed', () => {
    const file = write('big.json', `{"summary": "${'x'.repeat(300 * 1024)}"}`);
    const error = loadError(file);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(new RegExp(`over the ${MAX_FAILURE_FILE_BYTES}-byte limit`));
  });

  it('reports every wrong field at once', () => {
    const file = write('many.json', validFile({ seed: '1', path: 'x', engine: 'nope' }));
    const { message } = loadError(file);
    expect(message).toMatch(/"engine"/);
    expect(message).toMatch(/"seed"/);
    expect(message).toMatch(/"path"/);
  });

  it('a "__proto__" key changes nothing', () => {
    const topLevel = write(
      'proto.json',
      JSON.stringify(validFile()).replace(/^\{/, '{"__proto__":{"polluted":true,"version":1},'),
    );
    const top = loadError(topLevel);
    expect(top.code).toBe('INVALID');
    expect(top.message).toMatch(/unknown field "__proto__"/);

    const inSettings = write(
      'proto-settings.json',
      JSON.stringify(validFile()).replace('"settings":{', '"settings":{"__proto__":1,'),
    );
    const nested = loadError(inSettings);
    expect(nested.code).toBe('INVALID');
    expect(nested.message).toMatch(/key "__proto__", which is reserved/);

    const objectInSettings = write(
      'proto-settings-object.json',
      JSON.stringify(validFile()).replace(
        '"settings":{',
        '"settings":{"__proto__":{"polluted":true},',
      ),
    );
    expect(loadError(objectInSettings).code).toBe('INVALID');

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(store.list().every((e) => !e.ok)).toBe(true);
  });

  it('refuses a symlink, even to a valid file', () => {
    const target = write('real.json', validFile());
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(target, link);
    const error = loadError(link);
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toMatch(/is a symbolic link; a saved failure must be a regular file/);
  });

  it('refuses a directory named x.json', () => {
    const sub = path.join(dir, 'x.json');
    fs.mkdirSync(sub);
    const error = loadError(sub);
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toMatch(/x\.json: is a directory/);
  });

  it('reports a missing file as UNREADABLE', () => {
    const error = loadError(path.join(dir, 'gone.json'));
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toMatch(/gone\.json: cannot be read \(ENOENT\)/);
  });

  it('names the file relative to the working directory when it is inside it', () => {
    const error = new FailureFileError('INVALID', path.resolve('.stampede/failures/x.json'), 'bad');
    expect(error.message).toBe(`${path.join('.stampede', 'failures', 'x.json')}: bad`);
  });
});

describe('FailureStore: remove', () => {
  it('removes a saved failure, and removing it again is fine', () => {
    const file = store.save(failure);
    store.remove(file);
    expect(fs.existsSync(file)).toBe(false);
    expect(() => store.remove(file)).not.toThrow();
    expect(store.list()).toEqual([]);
  });

  it('refuses to remove files outside the store', () => {
    const outside = path.join(os.tmpdir(), `not-a-failure-${process.pid}.json`);
    fs.writeFileSync(outside, '{}');
    try {
      expect(() => store.remove(outside)).toThrow(/refusing to remove/);
      expect(fs.existsSync(outside)).toBe(true);
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });
});

// Keeps the SavedFailure type in use: a compile-time check that save's input plus the two
// generated fields is exactly a SavedFailure.
const _shape: SavedFailure = { ...failure, version: 1, createdAt: '2024-05-01T12:00:00.000Z' };
