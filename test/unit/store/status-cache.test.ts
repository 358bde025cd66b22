import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { STATUS_CACHE_KEY } from '../../../src/store/status.js';
import { Store } from '../../../src/store/store.js';
import { fileRecord, functionsExtraction, type TempDir, useTempStore } from './store-fixtures.js';

const ctx = useTempStore();
let tmp: TempDir;
let store: Store;

/** The cached counts as any other connection sees them (undefined: none cached). */
function cachedValue(): string | undefined {
  const db = new Database(tmp.dbPath, { readonly: true });
  try {
    return db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck().get(STATUS_CACHE_KEY);
  } finally {
    db.close();
  }
}

/** The status counted from the tables: the cache row is removed first, and a read-only store never saves one. */
function recount(): ReturnType<Store['status']> {
  const db = new Database(tmp.dbPath);
  db.prepare('DELETE FROM meta WHERE key = ?').run(STATUS_CACHE_KEY);
  db.close();
  const reader = Store.open(tmp.dbPath, { readonly: true });
  try {
    return reader.status();
  } finally {
    reader.close();
  }
}

beforeEach(() => {
  ({ tmp, store } = ctx);
  store.writeBatch([
    { file: fileRecord('a.ts'), extraction: functionsExtraction(['alpha', 'beta']) },
    { file: fileRecord('b.ts', { hash: 'b' }), extraction: functionsExtraction(['gamma']) },
  ]);
});

describe('status counts cache', () => {
  it('is saved by a writable store and read back without recounting', () => {
    const first = store.status();
    expect(first.symbols).toBe(3);
    expect(cachedValue()).toBeDefined();
    const reader = Store.open(tmp.dbPath, { readonly: true });
    expect(reader.status()).toEqual({ ...first, dbBytes: reader.status().dbBytes });
    reader.close();
  });

  it('is dropped by every write that can change the counts, in the same transaction', () => {
    store.status();
    store.writeBatch([
      { file: fileRecord('c.ts', { hash: 'c' }), extraction: functionsExtraction(['delta']) },
    ]);
    expect(cachedValue()).toBeUndefined();
    expect(store.status().symbols).toBe(4);

    store.deleteFiles(['a.ts']);
    expect(cachedValue()).toBeUndefined();
    expect(store.status().symbols).toBe(2);

    const streamed = store.beginStreamedFile(fileRecord('big.txt', { state: 'text-only', language: 'text' }));
    streamed.commit(fileRecord('big.txt', { state: 'text-only', language: 'text', hash: 'big' }));
    expect(cachedValue()).toBeUndefined();
    const after = store.status();
    expect(after.files.textOnly).toBe(1);
    expect(after).toEqual({ ...recount(), dbBytes: after.dbBytes });
  });

  it('survives a touch (same content, new stat), which changes no count', () => {
    const before = store.status();
    const touched = fileRecord('a.ts', { mtimeMs: 1_800_000_000_000, extractor: 'x' });
    store.writeBatch([{ file: { ...touched }, extraction: functionsExtraction(['alpha', 'beta']) }]);
    store.status();
    store.writeBatch([
      { file: { ...touched, mtimeMs: 1_900_000_000_000 }, extraction: null, reuse: { kind: 'same' } },
    ]);
    expect(cachedValue()).toBeDefined();
    expect(store.status()).toEqual({ ...before, dbBytes: store.status().dbBytes });
  });

  it('is recounted when the cached value is damaged', () => {
    const good = store.status();
    const db = new Database(tmp.dbPath);
    db.prepare('UPDATE meta SET value = ? WHERE key = ?').run('{"files":', STATUS_CACHE_KEY);
    db.close();
    expect(store.status()).toEqual({ ...good, dbBytes: store.status().dbBytes });
  });
});
