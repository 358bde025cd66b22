import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { toStoreError } from '../../../src/store/store-error.js';

describe('toStoreError', () => {
  const path = '/repo/.grove/index.db';
  const sqlite = (code: string) => new Database.SqliteError(`sqlite said ${code}`, code);

  it('maps SQLite result codes (primary and extended) to grove codes, naming the file', () => {
    const cases: Array<[string, string]> = [
      ['SQLITE_FULL', 'DISK_FULL'],
      ['SQLITE_NOTADB', 'INDEX_CORRUPT'],
      ['SQLITE_CORRUPT_INDEX', 'INDEX_CORRUPT'],
      ['SQLITE_BUSY', 'INDEX_LOCKED'],
      ['SQLITE_BUSY_SNAPSHOT', 'INDEX_LOCKED'],
      ['SQLITE_IOERR_WRITE', 'IO_ERROR'],
      ['SQLITE_CONSTRAINT_NOTNULL', 'INTERNAL'],
    ];
    for (const [sqliteCode, code] of cases) {
      const error = toStoreError(sqlite(sqliteCode), path);
      expect(error.code, sqliteCode).toBe(code);
      expect(error.message).toContain(path);
      expect(error.details).toMatchObject({ path, sqliteCode });
    }
  });

  it('maps errno errors through the shared registry and passes GroveErrors through', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    expect(toStoreError(enospc, path).code).toBe('DISK_FULL');
    const grove = new GroveError('INDEX_NOT_FOUND', 'none');
    expect(toStoreError(grove, path)).toBe(grove);
  });
});
