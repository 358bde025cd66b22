/**
 * The full-text index's merge settings: a bulk load lets small segments wait and merge in larger groups,
 * its end restores FTS5's live settings and merges what waited, and search answers stay the same.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BULK_MERGING, LIVE_MERGING, readMergeSettings } from '../../../src/store/fts-merging.js';
import type { Store } from '../../../src/store/store.js';
import { chunk, fileRecord, useTempStore } from './store-fixtures.js';

/** FTS5 data rows carry their segment id above bit 37; the rows below are the table's own records. */
function segmentCount(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[], number>('SELECT count(DISTINCT id >> 37) FROM chunks_fts_data WHERE id >= (1 << 37)')
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

function storedSettings(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return readMergeSettings(db);
  } finally {
    db.close();
  }
}

/** One transaction per file, as a store batch of one file commits. */
function writeFilesOneByOne(store: Store, dir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const text = `function handler${i}() { return shared_token + ${i}; }`;
    store.writeBatch([
      {
        file: fileRecord(`${dir}/f${i}.ts`),
        extraction: { symbols: [], refs: [], imports: [], chunks: [chunk(text)] },
      },
    ]);
  }
}

function pathsFound(store: Store): number {
  return new Set(store.search('shared_token', { limit: 100 }).map((hit) => hit.path)).size;
}

describe('full-text merge settings', () => {
  const ctx = useTempStore();

  it('merge small segments early by default, and let them wait during a bulk load', () => {
    expect(storedSettings(ctx.tmp.dbPath)).toEqual(LIVE_MERGING);
    writeFilesOneByOne(ctx.store, 'live', 20);
    const live = segmentCount(ctx.tmp.dbPath);
    ctx.store.startBulkFullText();
    expect(storedSettings(ctx.tmp.dbPath)).toEqual(BULK_MERGING);
    writeFilesOneByOne(ctx.store, 'bulk', 20);
    // Segments this small are merged by the crisis rule alone: at 16 the first twenty single-file
    // commits were merged together; at 64 the next twenty stay one segment each.
    expect(live).toBeLessThan(20);
    expect(segmentCount(ctx.tmp.dbPath) - live).toBe(20);
    expect(pathsFound(ctx.store)).toBe(40);
  });

  it('end a bulk load with the live settings and its segments merged, answering the same', () => {
    ctx.store.startBulkFullText();
    writeFilesOneByOne(ctx.store, 'bulk', 30);
    const beforeMerge = segmentCount(ctx.tmp.dbPath);
    expect(ctx.store.finishBulkFullText()).toBe(true);
    expect(storedSettings(ctx.tmp.dbPath)).toEqual(LIVE_MERGING);
    expect(segmentCount(ctx.tmp.dbPath)).toBeLessThan(beforeMerge / 4);
    expect(pathsFound(ctx.store)).toBe(30);
    // Nothing left to do: a run that did not bulk load pays one read.
    expect(ctx.store.finishBulkFullText()).toBe(false);
  });
});
