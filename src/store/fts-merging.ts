/**
 * How eagerly FTS5 merges the segments of `chunks_fts`. Every write transaction adds one small segment
 * (a store batch is ~40 ms of files, see the store stage), and FTS5 merges them in levels.
 *
 * A first build writes thousands of transactions. With FTS5's defaults (automerge 4, crisismerge 16) a
 * doclist is written again at every one of ~log4(segments) levels: replaying the kernel's 1.1M chunks in
 * 20-file transactions took 40.9 s, and 29.8 s with automerge 16 (crisismerge 64). Left like that, the
 * kernel's index had 41 segments instead of 14 and searches took 5-15% longer. So a first build writes
 * with the bulk settings and ends by merging (~5 s on the kernel, down to 2-4 segments: searches then
 * take 3-20% less than with the defaults' 14), and every other write uses the defaults, which keep a
 * live index's few small segments merged.
 *
 * These are settings stored in the table (`chunks_fts_config`), not schema: any grove reads the table
 * whatever they are. A first build that dies or is stopped keeps the bulk settings (its end is skipped);
 * the next run's end restores them and merges.
 */
import type Database from 'better-sqlite3';

export interface MergeSettings {
  /** Segments waiting on a level before a merge takes them into the next one. */
  automerge: number;
  /** Segments on one level at which a write merges them at once, whatever else it does. */
  crisismerge: number;
}

export const BULK_MERGING: MergeSettings = { automerge: 16, crisismerge: 64 };
/** FTS5's own defaults. */
export const LIVE_MERGING: MergeSettings = { automerge: 4, crisismerge: 16 };
/** Leaf pages one `merge` command may write: small enough that each is a short transaction. */
const MERGE_PAGES_PER_STEP = 4_000;
/** A backstop only: the kernel's bulk load merged down in 29 steps. */
const MAX_MERGE_STEPS = 10_000;

export function readMergeSettings(db: Database.Database): MergeSettings {
  const rows = db
    .prepare<[], { k: string; v: number }>(
      "SELECT k, v FROM chunks_fts_config WHERE k IN ('automerge', 'crisismerge')",
    )
    .all();
  const stored = new Map(rows.map((row) => [row.k, Number(row.v)]));
  return {
    automerge: stored.get('automerge') ?? LIVE_MERGING.automerge,
    crisismerge: stored.get('crisismerge') ?? LIVE_MERGING.crisismerge,
  };
}

function writeMergeSettings(db: Database.Database, settings: MergeSettings): void {
  // FTS5 takes these as integers only; bound JS numbers arrive as reals, hence the literal values.
  db.transaction(() => {
    db.exec(`INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('automerge', ${settings.automerge})`);
    db.exec(`INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('crisismerge', ${settings.crisismerge})`);
  }).immediate();
}

/** Before a first build's writes: let small segments wait and merge in larger groups. */
export function startBulkMerging(db: Database.Database): void {
  writeMergeSettings(db, BULK_MERGING);
}

/**
 * After a run: when the index holds the bulk settings (this run's first build, or one that died),
 * restores the live ones and merges the segments a bulk load left, one bounded step per transaction.
 * Returns whether it did.
 */
export function finishBulkMerging(db: Database.Database): boolean {
  const current = readMergeSettings(db);
  if (current.automerge === LIVE_MERGING.automerge && current.crisismerge === LIVE_MERGING.crisismerge) {
    return false;
  }
  writeMergeSettings(db, LIVE_MERGING);
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  const merge = db.prepare(
    `INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('merge', ${MERGE_PAGES_PER_STEP})`,
  );
  // A step that changes nothing (or only the structure record) found no level worth merging.
  for (let step = 0; step < MAX_MERGE_STEPS; step++) {
    const before = changes.get() ?? 0;
    merge.run();
    if ((changes.get() ?? 0) - before < 2) break;
  }
  return true;
}
