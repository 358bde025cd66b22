import type Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { knownStatPages, PAGE_ROWS } from '../../../src/store/known-files.js';
import { KNOWN_SNAPSHOT_KEY, loadKnownSnapshot } from '../../../src/store/known-snapshot.js';
import { Store } from '../../../src/store/store.js';
import { inOtherConnection, knownRows as rowsOf } from './known-rows.js';
import { fileRecord, type TempDir, useTempStore } from './store-fixtures.js';

const ctx = useTempStore();
let tmp: TempDir;
let store: Store;

const withRawDb = <T>(fn: (db: Database.Database) => T): T => inOtherConnection(tmp.dbPath, fn);

const hasSnapshot = () =>
  withRawDb((db) => db.prepare('SELECT 1 FROM meta WHERE key = ?').pluck().get(KNOWN_SNAPSHOT_KEY) === 1);
const snapshotRows = () => withRawDb((db) => rowsOf(loadKnownSnapshot(db) ?? []));
const scannedRows = () => withRawDb((db) => rowsOf(knownStatPages(db)));

beforeEach(() => {
  ({ tmp, store } = ctx);
  // Several pages, non-ASCII names (multi-byte UTF-8) and a few distinct kinds.
  const files = Array.from({ length: PAGE_ROWS * 2 + 7 }, (_, i) =>
    fileRecord(`dir/${i % 3 === 0 ? 'é' : 'f'}${String(i).padStart(5, '0')}.ts`, {
      size: i,
      mtimeMs: 1_700_000_000_000.25 + i,
      ino: 2 ** 40 + i,
      state: i % 5 === 0 ? 'text-only' : 'indexed',
      reason: i % 5 === 0 ? 'too-big' : 'parsed',
    }),
  );
  store.writeBatch(files.map((file) => ({ file, extraction: null })));
});

describe('known-files snapshot', () => {
  it('holds exactly what a scan of the files table reads, and is written once', () => {
    expect(store.saveKnownSnapshot()).toBe(true);
    expect(snapshotRows()).toEqual(scannedRows());
    expect(snapshotRows()).toHaveLength(PAGE_ROWS * 2 + 7);
    expect(store.saveKnownSnapshot()).toBe(false);
    expect(rowsOf(store.knownStatPages())).toEqual(scannedRows());
  });

  it('is dropped by every change to a copied column, by whoever writes it', () => {
    const writes: Array<(db: Database.Database) => void> = [
      (db) => db.prepare("UPDATE files SET mtime_ms = mtime_ms + 1 WHERE path = 'dir/f00001.ts'").run(),
      (db) => db.prepare("UPDATE files SET ino = 1, dev = 2 WHERE path = 'dir/f00002.ts'").run(),
      (db) => db.prepare("UPDATE files SET extractor = 'other' WHERE path = 'dir/f00004.ts'").run(),
      (db) => db.prepare("DELETE FROM files WHERE path = 'dir/é00003.ts'").run(),
    ];
    for (const write of writes) {
      store.saveKnownSnapshot();
      withRawDb(write);
      expect(hasSnapshot()).toBe(false);
      expect(rowsOf(store.knownStatPages())).toEqual(scannedRows());
    }
    store.saveKnownSnapshot();
    store.writeBatch([{ file: fileRecord('new.ts'), extraction: null }]);
    expect(hasSnapshot()).toBe(false);
    store.saveKnownSnapshot();
    store.deleteFiles(['new.ts']);
    expect(hasSnapshot()).toBe(false);
  });

  it('survives writes to columns it does not copy, and a rolled-back change', () => {
    store.saveKnownSnapshot();
    withRawDb((db) => db.prepare('UPDATE files SET rank = 0.5').run());
    withRawDb((db) => {
      db.exec('BEGIN');
      db.prepare('DELETE FROM files').run();
      db.exec('ROLLBACK');
    });
    expect(hasSnapshot()).toBe(true);
    expect(snapshotRows()).toEqual(scannedRows());
  });

  it('is ignored when written by another layout, and reported when it does not add up', () => {
    store.saveKnownSnapshot();
    const blob = withRawDb(
      (db) => db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KNOWN_SNAPSHOT_KEY) as Buffer,
    );
    const put = (value: Buffer) =>
      withRawDb((db) => db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(value, KNOWN_SNAPSHOT_KEY));

    const otherFormat = Buffer.from(blob);
    otherFormat.writeUInt32LE(99, 4);
    put(otherFormat);
    expect(withRawDb((db) => loadKnownSnapshot(db))).toBeNull();
    expect(rowsOf(store.knownStatPages())).toEqual(scannedRows());

    put(blob.subarray(0, blob.length - 1));
    expect(() => withRawDb((db) => loadKnownSnapshot(db))).toThrowError(GroveError);
    const damagedPaths = Buffer.from(blob);
    damagedPaths[blob.length - 1] = 0x41; // the last path's terminating NUL
    put(damagedPaths);
    const error = (() => {
      try {
        withRawDb((db) => rowsOf(loadKnownSnapshot(db) ?? []));
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(GroveError);
    expect((error as GroveError).code).toBe('INDEX_CORRUPT');
  });

  it('is not trusted when its triggers are gone', () => {
    store.saveKnownSnapshot();
    withRawDb((db) => db.exec('DROP TRIGGER known_snapshot_update'));
    expect(withRawDb((db) => loadKnownSnapshot(db))).toBeNull();
  });
});

describe('known-files snapshot on a full disk', () => {
  it('is left unwritten, without failing the run that wanted it', () => {
    const pages = withRawDb((db) => db.pragma('page_count', { simple: true }) as number);
    store.close();
    // SQLite's own limit stands in for a full disk (see open-database.ts): the blob needs more pages.
    process.env.GROVE_FAULT_MAX_DB_PAGES = String(pages + 1);
    let full: Store;
    try {
      full = Store.open(tmp.dbPath);
    } finally {
      delete process.env.GROVE_FAULT_MAX_DB_PAGES;
    }
    try {
      expect(full.saveKnownSnapshot()).toBe(false);
      expect(hasSnapshot()).toBe(false);
      expect(rowsOf(full.knownStatPages())).toEqual(scannedRows());
    } finally {
      full.close();
    }
  });
});
