/**
 * A first build loads without the indexes ordered by name and builds them afterwards: the result must
 * be the schema a migrated index has, and queries must answer the same with or without them.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';
import { fileRecord, functionsExtraction, makeTempDir, type TempDir } from './store-fixtures.js';

const NAME_INDEXES = ['imports_source', 'refs_name', 'symbols_name'];

function indexSql(dbPath: string): Record<string, string> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
      )
      .all();
    return Object.fromEntries(rows.map((row) => [row.name, row.sql]));
  } finally {
    db.close();
  }
}

const temps: TempDir[] = [];
afterEach(() => {
  for (const tmp of temps.splice(0)) tmp.cleanup();
});

function tempDir(): TempDir {
  const tmp = makeTempDir();
  temps.push(tmp);
  return tmp;
}

describe('deferred name indexes', () => {
  it('drops them on an empty index, answers without them, and rebuilds exactly the migrated schema', () => {
    const migrated = tempDir();
    Store.open(migrated.dbPath).close();
    const expected = indexSql(migrated.dbPath);
    for (const name of NAME_INDEXES) expect(expected[name]).toBeDefined();

    const tmp = tempDir();
    const store = Store.open(tmp.dbPath);
    try {
      expect(store.deferNameIndexes()).toBe(true);
      expect(Object.keys(indexSql(tmp.dbPath))).not.toContain('symbols_name');
      store.writeBatch([
        {
          file: fileRecord('a.c', { language: 'c' }),
          extraction: functionsExtraction(['alpha', 'beta'], ['gamma']),
        },
        { file: fileRecord('b.c', { language: 'c' }), extraction: functionsExtraction(['gamma'], ['alpha']) },
      ]);
      const withoutIndexes = store.symbols('alpha');
      expect(withoutIndexes.map((hit) => hit.path)).toEqual(['a.c']);

      expect(store.ensureNameIndexes()).toBe(3);
      expect(indexSql(tmp.dbPath)).toEqual(expected);
      expect(store.symbols('alpha')).toEqual(withoutIndexes);
      expect(store.ensureNameIndexes()).toBe(0);
      // An index with files keeps its indexes: an incremental run writes few rows.
      expect(store.deferNameIndexes()).toBe(false);
      expect(indexSql(tmp.dbPath)).toEqual(expected);
    } finally {
      store.close();
    }
  });
});
