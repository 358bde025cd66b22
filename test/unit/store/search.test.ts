import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Extraction } from '../../../src/model.js';
import { parseQuery } from '../../../src/store/fts-query.js';
import { Store } from '../../../src/store/store.js';
import { chunk, fileRecord, makeTempDir, symbol, type TempDir } from './store-fixtures.js';

const USERS_TS = `export function getUserName(user: User): string {
  return user.firstName + ' ' + user.lastName;
}`;

const CALLERS_TS = `import { getUserName } from './users';
function greet(user: User) {
  console.log('hello', getUserName(user));
  console.log('bye', getUserName(user));
}`;

const ALLOC_C = `void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
\tif (size != 0 && n > SIZE_MAX / size)
\t\treturn NULL;
\treturn kmalloc(n * size, flags);
}`;

const USES_C = `static int setup(struct device *dev)
{
\tbuf = kmalloc_array(16, sizeof(*buf), GFP_KERNEL);
\tother = kmalloc_array(4, sizeof(*other), GFP_KERNEL);
\tthird = kmalloc_array(2, 8, GFP_KERNEL);
\treturn 0;
}`;

function defining(name: string, text: string, kind = 'function'): Extraction {
  return {
    symbols: [
      symbol(name, 1, { kind, endLine: text.split('\n').length, signature: text.split('\n')[0] ?? '' }),
    ],
    refs: [],
    imports: [],
    chunks: [chunk(text, 1, { kind, symbol: name })],
  };
}

describe('search, symbols and status', () => {
  let tmp: TempDir;
  let store: Store;
  beforeAll(() => {
    tmp = makeTempDir();
    store = Store.open(tmp.dbPath);
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of plain notes`);
    lines[19] = 'the needle_marker sits on line twenty';
    store.writeBatch([
      { file: fileRecord('src/users.ts'), extraction: defining('getUserName', USERS_TS) },
      {
        file: fileRecord('src/callers.ts'),
        extraction: {
          ...defining('greet', CALLERS_TS),
          refs: [{ name: 'getUserName', kind: 'call', line: 3 }],
        },
      },
      { file: fileRecord('mm/slab.c', { language: 'c' }), extraction: defining('kmalloc_array', ALLOC_C) },
      { file: fileRecord('drivers/dev.c', { language: 'c' }), extraction: defining('setup', USES_C) },
      {
        file: fileRecord('docs/notes.md', { language: 'markdown', state: 'text-only', reason: 'text' }),
        extraction: { symbols: [], refs: [], imports: [], chunks: [chunk(lines.join('\n'), 101)] },
      },
      {
        file: fileRecord('img/logo.png', { state: 'skipped', reason: 'binary', language: null }),
        extraction: null,
      },
      {
        file: fileRecord('gen/huge.h', { state: 'failed', reason: 'parse-failed', language: 'c' }),
        extraction: null,
      },
    ]);
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  it('finds the defining chunk of an identifier first', () => {
    const results = store.search('kmalloc_array');
    expect(results.map((r) => r.path)).toEqual(['mm/slab.c', 'drivers/dev.c']);
    expect(results[0]).toMatchObject({
      symbol: 'kmalloc_array',
      kind: 'function',
      startLine: 1,
      endLine: 6,
      language: 'c',
    });
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? Number.POSITIVE_INFINITY);
    expect(store.search('getUserName')[0]?.path).toBe('src/users.ts');
  });

  it('finds camelCase and snake_case identifiers by their parts', () => {
    expect(store.search('user name').map((r) => r.path)).toContain('src/users.ts');
    expect(store.search('array').map((r) => r.path)).toEqual(
      expect.arrayContaining(['mm/slab.c', 'drivers/dev.c']),
    );
  });

  it('returns positive scores sorted descending', () => {
    const results = store.search('user name kmalloc');
    expect(results.length).toBeGreaterThan(2);
    for (const r of results) expect(r.score).toBeGreaterThan(0);
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('ORs words so natural-language queries work, preferring chunks with all of them', () => {
    const results = store.search('where is the needle_marker or kmalloc');
    expect(results.map((r) => r.path)).toEqual(expect.arrayContaining(['docs/notes.md', 'mm/slab.c']));
    // Both chunks mention kmalloc; only the definition also has `flags`.
    expect(store.search('kmalloc flags').map((r) => r.path)).toEqual(['mm/slab.c', 'drivers/dev.c']);
  });

  it('builds a small numbered snippet around the best line', () => {
    const [hit] = store.search('needle_marker');
    expect(hit?.path).toBe('docs/notes.md');
    const snippetLines = hit?.snippet.split('\n') ?? [];
    expect(snippetLines.length).toBeLessThanOrEqual(8);
    expect(snippetLines).toContain('120: the needle_marker sits on line twenty');
    expect(snippetLines[0]).toBe('118: line 18 of plain notes');
  });

  it('applies language, path glob and kind filters', () => {
    expect(store.search('kmalloc_array', { language: 'c' }).length).toBe(2);
    expect(store.search('kmalloc_array', { language: 'typescript' })).toEqual([]);
    expect(store.search('kmalloc_array', { pathGlob: 'drivers/**' }).map((r) => r.path)).toEqual([
      'drivers/dev.c',
    ]);
    expect(store.search('kmalloc_array', { pathGlob: '*.c' }).length).toBe(2);
    expect(store.search('user', { kind: 'text' })).toEqual([]);
    expect(store.search('needle_marker', { kind: 'text' }).length).toBe(1);
    expect(store.search('getUserName', { limit: 1 }).length).toBe(1);
  });

  it('never throws on hostile or empty queries', () => {
    const hostile = [
      '',
      '   ',
      '"',
      '""',
      '*',
      'AND(',
      'OR',
      'NOT',
      'NEAR(a b, 3)',
      'a:b',
      '^foo',
      '(((',
      ')',
      '-',
      'col:*',
      "'; DROP TABLE files; --",
      '\u0000',
      '😀',
      'x'.repeat(10_000),
      'a AND OR NOT b',
      '{text terms}: x',
      'kmalloc_array*',
      '"unterminated',
      'a"b"c',
      '+',
      '\\',
      '[abc]',
      'and or not',
    ];
    for (const q of hostile) {
      expect(() => store.search(q), q.slice(0, 20)).not.toThrow();
    }
    expect(store.search('')).toEqual([]);
    expect(store.search('"*(')).toEqual([]);
    expect(store.search('"kmalloc_array"')[0]?.path).toBe('mm/slab.c');
  });

  it('looks up symbols by exact name and by glob', () => {
    expect(store.symbols('kmalloc_array')).toEqual([
      {
        name: 'kmalloc_array',
        kind: 'function',
        path: 'mm/slab.c',
        line: 1,
        endLine: 6,
        signature: 'void *kmalloc_array(size_t n, size_t size, gfp_t flags)',
        parent: null,
      },
    ]);
    expect(store.symbols('kmalloc')).toEqual([]);
    expect(store.symbols('kmalloc*').map((s) => s.name)).toEqual(['kmalloc_array']);
    expect(store.symbols('get?serName').map((s) => s.name)).toEqual(['getUserName']);
    expect(store.symbols('*e*').map((s) => s.name)).toEqual(['getUserName', 'greet', 'setup']);
    expect(store.symbols('*', { limit: 2 })).toHaveLength(2);
    expect(store.symbols('*', { kind: 'class' })).toEqual([]);
    expect(store.symbols('[abc]*')).toEqual([]);
    expect(store.symbols('')).toEqual([]);
  });

  it('reports file, row and language counts in status', () => {
    const status = store.status();
    expect(status.files).toEqual({ indexed: 4, textOnly: 1, skipped: 1, failed: 1 });
    expect(status.symbols).toBe(4);
    expect(status.chunks).toBe(5);
    expect(status.refs).toBe(1);
    expect(status.languages).toEqual({ c: 2, markdown: 1, typescript: 2 });
    expect(status.reasons).toMatchObject({
      'skipped:binary': 1,
      'failed:parse-failed': 1,
      'indexed:parsed': 4,
    });
    expect(status.schemaVersion).toBe(store.schemaVersion);
    expect(status.dbBytes).toBeGreaterThan(0);
  });
});

describe('parseQuery', () => {
  it('quotes every term and offers identifier parts as an alternative', () => {
    expect(parseQuery('getUserName').match).toBe('("getusername" OR ("get" AND "user" AND "name"))');
    expect(parseQuery('user').match).toBe('"user"');
    expect(parseQuery('os.path').match).toBe('("os" AND "path")');
    expect(parseQuery('foo bar').matchAll).toBe('("foo") AND ("bar")');
    expect(parseQuery('NEAR(a AND b)').match).toBe('"near" OR "b"');
  });

  it('drops stop words unless nothing else is left', () => {
    expect(parseQuery('how is the lock taken').words).toEqual(['lock', 'taken']);
    expect(parseQuery('the').words).toEqual(['the']);
    expect(parseQuery('"*()').match).toBe('');
  });
});
