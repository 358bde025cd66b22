import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { Store } from '../../../src/store/store.js';
import {
  chunk,
  fileRecord,
  functionsExtraction,
  symbol,
  type TempDir,
  useTempStore,
} from './store-fixtures.js';

/** Row counts seen by a second connection: what any reader of the index would see. */
function counts(dbPath: string, ftsToken?: string) {
  const db = new Database(dbPath, { readonly: true });
  const count = (sql: string, ...params: unknown[]) =>
    Number(
      db
        .prepare(sql)
        .pluck()
        .get(...params),
    );
  const result = {
    files: count('SELECT count(*) FROM files'),
    symbols: count('SELECT count(*) FROM symbols'),
    refs: count('SELECT count(*) FROM refs'),
    imports: count('SELECT count(*) FROM imports'),
    chunks: count('SELECT count(*) FROM chunks'),
    ftsHits:
      ftsToken === undefined
        ? 0
        : count('SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?', `"${ftsToken}"`),
  };
  db.close();
  return result;
}

describe('IndexWriter via Store', () => {
  const ctx = useTempStore();
  let tmp: TempDir;
  let store: Store;
  beforeEach(() => {
    ({ tmp, store } = ctx);
  });

  it('writes the full-text entries of a whole batch as one FTS5 segment', () => {
    // An entry inserted before another file's upsert would be flushed into a segment of its own.
    store.writeBatch(
      Array.from({ length: 40 }, (_, i) => ({
        file: fileRecord(`src/f${i}.ts`),
        extraction: functionsExtraction([`batched${i}`], ['shared']),
      })),
    );
    const db = new Database(tmp.dbPath, { readonly: true });
    const segments = db.prepare('SELECT count(DISTINCT segid) FROM chunks_fts_idx').pluck().get();
    db.close();
    expect(segments).toBe(1);
    expect(counts(tmp.dbPath, 'batched7').ftsHits).toBe(1);
    expect(counts(tmp.dbPath, 'shared').ftsHits).toBe(40);
  });

  it('replaces everything known about a path when it is written again', () => {
    store.writeBatch([
      {
        file: fileRecord('src/a.ts'),
        extraction: functionsExtraction(['oldAlpha', 'oldBeta'], ['helperOld']),
      },
      { file: fileRecord('src/b.ts'), extraction: functionsExtraction(['keepMe'], ['helperOld']) },
    ]);
    expect(counts(tmp.dbPath, 'oldalpha')).toMatchObject({
      files: 2,
      symbols: 3,
      chunks: 3,
      imports: 2,
      ftsHits: 1,
    });
    expect(store.search('oldAlpha').map((r) => r.symbol)).toContain('oldAlpha');

    store.writeBatch([
      { file: fileRecord('src/a.ts', { hash: 'new' }), extraction: functionsExtraction(['newGamma'], []) },
    ]);
    expect(counts(tmp.dbPath, 'oldalpha')).toMatchObject({
      files: 2,
      symbols: 2,
      chunks: 2,
      imports: 2,
      ftsHits: 0,
    });
    expect(counts(tmp.dbPath, 'newgamma').ftsHits).toBe(1);
    expect(store.search('oldAlpha')).toEqual([]);
    expect(store.symbols('oldAlpha')).toEqual([]);
    expect(store.symbols('newGamma')).toHaveLength(1);
    expect(store.symbols('keepMe')).toHaveLength(1);
    const a = [...store.files()].find((f) => f.path === 'src/a.ts');
    expect(a?.hash).toBe('new');
  });

  it('records skipped and failed files without rows, keeping their reason and error', () => {
    const error = {
      code: 'FILE_UNREADABLE' as const,
      message: 'EACCES: permission denied',
      details: { errno: 'EACCES' },
    };
    store.writeBatch([
      {
        file: fileRecord('bin/blob', { state: 'skipped', reason: 'binary', hash: null, language: null }),
        extraction: null,
      },
      { file: fileRecord('secret.ts', { state: 'failed', reason: 'unreadable', error }), extraction: null },
    ]);
    const files = [...store.files()];
    expect(files.map((f) => f.path)).toEqual(['bin/blob', 'secret.ts']);
    expect(files[0]).toEqual({
      ...fileRecord('bin/blob', { state: 'skipped', reason: 'binary', hash: null, language: null }),
      extractor: null,
    });
    expect(files[1]?.error).toEqual(error);
    expect(counts(tmp.dbPath).chunks).toBe(0);
  });

  it('rolls back a whole batch when one item fails', () => {
    const bad = {
      file: fileRecord('bad.ts'),
      extraction: {
        ...functionsExtraction(['x']),
        chunks: [{ ...chunk('x'), text: null as unknown as string }],
      },
    };
    expect(() =>
      store.writeBatch([{ file: fileRecord('good.ts'), extraction: functionsExtraction(['good']) }, bad]),
    ).toThrow(GroveError);
    expect(counts(tmp.dbPath).files).toBe(0);
  });

  it('commits a streamed file with its chunks and final state together', () => {
    store.writeBatch([{ file: fileRecord('big.log'), extraction: functionsExtraction(['previousText']) }]);
    const writer = store.beginStreamedFile(
      fileRecord('big.log', { state: 'text-only', reason: 'too-large' }),
    );
    writer.add([chunk('first window streamedalpha', 1)], [symbol('STREAM_DEFINE', 1, { kind: 'macro' })]);
    writer.add([chunk('second window streamedbeta', 2)]);
    // Nothing else may write while the streamed file is open.
    expect(() => store.writeBatch([{ file: fileRecord('x.ts'), extraction: null }])).toThrow(/streamed/);
    expect(() => store.deleteFiles(['x.ts'])).toThrow(GroveError);
    writer.commit(fileRecord('big.log', { state: 'text-only', reason: 'too-large', size: 2_000_000 }));

    expect(counts(tmp.dbPath, 'streamedbeta')).toMatchObject({ files: 1, chunks: 2, symbols: 1, ftsHits: 1 });
    expect(store.search('previousText')).toEqual([]);
    expect(store.search('streamedalpha')[0]?.path).toBe('big.log');
    const status = store.status();
    expect(status.files.textOnly).toBe(1);
    expect(status.chunks).toBe(2);
    expect([...store.files()][0]?.size).toBe(2_000_000);
    expect(() => writer.add([chunk('late', 3)])).toThrow(GroveError);
  });

  it('rolls back a streamed file, leaving the previous state of the path intact', () => {
    store.writeBatch([{ file: fileRecord('big.log'), extraction: functionsExtraction(['previousText']) }]);
    const writer = store.beginStreamedFile(
      fileRecord('big.log', { state: 'text-only', reason: 'too-large' }),
    );
    writer.add([chunk('replacementtoken', 1)]);
    writer.rollback();
    writer.rollback(); // idempotent

    expect(counts(tmp.dbPath, 'replacementtoken')).toMatchObject({ files: 1, chunks: 1, ftsHits: 0 });
    expect(store.search('previousText')[0]?.symbol).toBe('previousText');
    expect([...store.files()][0]?.state).toBe('indexed');
    // The store is writable again.
    store.writeBatch([{ file: fileRecord('after.ts'), extraction: null }]);
    expect(store.status().files.indexed).toBe(2);
  });

  it('deletes files with all their rows and reports how many existed', () => {
    store.writeBatch([
      { file: fileRecord('a.ts'), extraction: functionsExtraction(['alphaFn'], ['callee']) },
      { file: fileRecord('b.ts'), extraction: functionsExtraction(['betaFn'], ['callee']) },
    ]);
    expect(store.deleteFiles(['a.ts', 'missing.ts'])).toBe(1);
    expect(counts(tmp.dbPath, 'alphafn')).toMatchObject({
      files: 1,
      symbols: 1,
      refs: 1,
      imports: 1,
      chunks: 1,
      ftsHits: 0,
    });
    expect(store.deleteFiles(new Set(['b.ts']))).toBe(1);
    expect(counts(tmp.dbPath)).toMatchObject({ files: 0, symbols: 0, refs: 0, imports: 0, chunks: 0 });
  });

  it('iterates many files in path order and allows writing meanwhile', () => {
    const paths = Array.from({ length: 2_500 }, (_, i) => `dir/f${String(i).padStart(5, '0')}.ts`);
    store.writeBatch(paths.map((p) => ({ file: fileRecord(p), extraction: null })));
    const seen: string[] = [];
    for (const file of store.files()) {
      seen.push(file.path);
      if (seen.length === 10) store.setMeta('during', 'iteration');
    }
    expect(seen).toEqual(paths);
    expect(store.getMeta('during')).toBe('iteration');
  });

  it('makes a second writer wait, then fail with INDEX_LOCKED, while readers see the old state', () => {
    const writer = store.beginStreamedFile(
      fileRecord('big.log', { state: 'text-only', reason: 'too-large' }),
    );
    writer.add([chunk('pending', 1)]);
    const second = Store.open(tmp.dbPath);
    const reader = Store.open(tmp.dbPath, { readonly: true });
    try {
      expect(reader.status().files.textOnly).toBe(0);
      const started = Date.now();
      let code: string | undefined;
      try {
        second.writeBatch([{ file: fileRecord('other.ts'), extraction: null }]);
      } catch (error) {
        code = (error as GroveError).code;
      }
      expect(code).toBe('INDEX_LOCKED');
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_000); // it waited for busy_timeout
      writer.commit(fileRecord('big.log', { state: 'text-only', reason: 'too-large' }));
      expect(reader.status().files.textOnly).toBe(1);
    } finally {
      second.close();
      reader.close();
    }
  });

  it('stores meta values and overwrites them', () => {
    store.setMeta('commit', 'a');
    store.setMeta('commit', 'b');
    expect(store.getMeta('commit')).toBe('b');
  });
});
