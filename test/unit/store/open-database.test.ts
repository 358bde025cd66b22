import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/store/migrations.js';
import { Store } from '../../../src/store/store.js';
import { fileRecord, makeTempDir, type TempDir } from './store-fixtures.js';

function openError(fn: () => unknown): GroveError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GroveError);
    return error as GroveError;
  }
  throw new Error('expected the call to throw');
}

describe('Store.open', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('creates a new index whole: the schema is in place before the file appears, no draft is left', () => {
    // A draft left by a creation killed with this pid is replaced, not trusted.
    writeFileSync(`${tmp.dbPath}.creating-${process.pid}`, 'left by a killed run');
    const store = Store.open(tmp.dbPath);
    store.close();
    expect(readdirSync(tmp.dir)).toEqual(['index.db']);
    const reader = Store.open(tmp.dbPath, { readonly: true });
    expect(reader.status().files.indexed).toBe(0);
    reader.close();
  });

  it('creates the schema with WAL and the grove markers, and reopens it', () => {
    const store = Store.open(tmp.dbPath);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.path).toBe(tmp.dbPath);
    store.writeBatch([{ file: fileRecord('a.ts'), extraction: null }]);
    store.setMeta('commit', 'abc');
    store.close();

    const raw = new Database(tmp.dbPath, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('page_size', { simple: true })).toBe(8192);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['meta', 'files', 'symbols', 'refs', 'imports', 'chunks', 'chunks_fts']),
    );
    raw.close();

    const reopened = Store.open(tmp.dbPath, { readonly: true });
    expect(reopened.getMeta('commit')).toBe('abc');
    expect(reopened.getMeta('missing')).toBeNull();
    expect([...reopened.files()].map((f) => f.path)).toEqual(['a.ts']);
    reopened.close();
  });

  it('creates missing parent directories', () => {
    const store = Store.open(join(tmp.dir, 'nested', '.grove', 'index.db'));
    expect(store.status().files.indexed).toBe(0);
    store.close();
  });

  it('refuses a missing file when read-only or create: false', () => {
    expect(openError(() => Store.open(tmp.dbPath, { readonly: true })).code).toBe('INDEX_NOT_FOUND');
    expect(openError(() => Store.open(tmp.dbPath, { create: false })).code).toBe('INDEX_NOT_FOUND');
  });

  it('reports a garbage file as INDEX_CORRUPT naming the file, read-only or not', () => {
    writeFileSync(tmp.dbPath, Buffer.from('this is not a database at all, just some bytes '.repeat(200)));
    for (const readonly of [false, true]) {
      const error = openError(() => Store.open(tmp.dbPath, { readonly }));
      expect(error.code).toBe('INDEX_CORRUPT');
      expect(error.message).toContain(tmp.dbPath);
    }
  });

  it('reports a damaged grove index as INDEX_CORRUPT', () => {
    Store.open(tmp.dbPath).close();
    // Overwrite the first page after its 100-byte header: the schema b-tree no longer parses.
    const bytes = readFileSync(tmp.dbPath);
    bytes.fill(0xa5, 100, 4096);
    writeFileSync(tmp.dbPath, bytes);
    const error = openError(() => Store.open(tmp.dbPath, { readonly: true }));
    expect(error.code).toBe('INDEX_CORRUPT');
    expect(error.message).toContain(tmp.dbPath);
  });

  it('refuses a foreign SQLite database instead of writing into it', () => {
    const foreign = new Database(tmp.dbPath);
    foreign.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    foreign.close();
    const error = openError(() => Store.open(tmp.dbPath));
    expect(error.code).toBe('INDEX_CORRUPT');
    expect(error.message).toContain(tmp.dbPath);
  });

  it('refuses a schema newer than this code', () => {
    Store.open(tmp.dbPath).close();
    const raw = new Database(tmp.dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    for (const readonly of [false, true]) {
      const error = openError(() => Store.open(tmp.dbPath, { readonly }));
      expect(error.code).toBe('INDEX_SCHEMA_NEWER');
      expect(error.details).toMatchObject({ schemaVersion: SCHEMA_VERSION + 1 });
    }
  });

  it('treats an empty file as an empty index: created when writable, not found when read-only', () => {
    writeFileSync(tmp.dbPath, '');
    expect(openError(() => Store.open(tmp.dbPath, { readonly: true })).code).toBe('INDEX_NOT_FOUND');
    const store = Store.open(tmp.dbPath);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    store.close();
  });

  it('does not write through a read-only store', () => {
    Store.open(tmp.dbPath).close();
    const store = Store.open(tmp.dbPath, { readonly: true });
    expect(openError(() => store.setMeta('a', 'b')).code).toBe('INTERNAL');
    expect(store.search('anything')).toEqual([]);
    store.close();
  });

  it('check() passes on a healthy index and names the file when a page inside it is damaged', () => {
    const writer = Store.open(tmp.dbPath);
    writer.writeBatch(
      Array.from({ length: 300 }, (_, i) => ({ file: fileRecord(`dir/file-${i}.ts`), extraction: null })),
    );
    writer.close();
    const healthy = Store.open(tmp.dbPath, { readonly: true });
    healthy.check();
    healthy.close();
    // A leaf of the files table, far from the header: only a statement that reads it can notice.
    const raw = new Database(tmp.dbPath);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const leaf = raw
      .prepare("SELECT max(pageno) FROM dbstat WHERE name = 'files' AND pagetype = 'leaf'")
      .pluck()
      .get() as number;
    raw.close();
    const bytes = readFileSync(tmp.dbPath);
    bytes.fill(0x5a, (leaf - 1) * 8192, leaf * 8192);
    writeFileSync(tmp.dbPath, bytes);
    const damaged = Store.open(tmp.dbPath, { readonly: true });
    const error = openError(() => damaged.check());
    damaged.close();
    expect(error.code).toBe('INDEX_CORRUPT');
    expect(error.message).toContain(tmp.dbPath);
  });
});
