/**
 * A compact copy of every files row's stat columns, kept in one `meta` blob, so that a re-run reads what
 * it compares its walk with in one row instead of scanning the files table (78k kernel files: ~20 ms
 * instead of ~150 ms, most of which was better-sqlite3 building a JS value per column per row).
 *
 * The copy is only ever equal to the table or absent: triggers on `files` delete it in the same
 * transaction as any change to a column it copies, whoever writes (a daemon's watcher batch, a killed
 * run's last batch, an older grove that knows nothing about it). A complete run writes a fresh copy at
 * its end when the old one is gone. Its header names the schema version, so a migration that rebuilds
 * the table (dropping its triggers without firing them) leaves a copy that is no longer used.
 */
import type Database from 'better-sqlite3';
import { GroveError } from '../errors.js';
import { mergeKnownChanges, trackKnownChanges } from './known-changes.js';
import { type KnownKind, type KnownStatPage, knownStatPages, PAGE_ROWS, STAT_FIELDS } from './known-files.js';
import { SCHEMA_VERSION } from './migrations.js';

/** The meta key of the blob. */
export const KNOWN_SNAPSHOT_KEY = 'known-snapshot';

const MAGIC = 0x4b535647; // "GVSK", little-endian
/** Bumped whenever the layout below changes: an older layout is ignored, then rewritten. */
const FORMAT = 1;
/** u32 words: magic, format, schema version, rows, pages, kinds JSON bytes, paths bytes, rows per page. */
const HEADER_WORDS = 8;
const HEADER_BYTES = HEADER_WORDS * 4;

const TRIGGER_NAMES = ['known_snapshot_insert', 'known_snapshot_update', 'known_snapshot_delete'];
const DROP_SNAPSHOT = `DELETE FROM meta WHERE key = '${KNOWN_SNAPSHOT_KEY}'`;
// `rank` and the counts are written by the link and by status; they are not copied, so they do not drop it.
const TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS known_snapshot_insert AFTER INSERT ON files BEGIN ${DROP_SNAPSHOT}; END;
CREATE TRIGGER IF NOT EXISTS known_snapshot_update
  AFTER UPDATE OF path, size, mtime_ms, ino, dev, state, reason, language, extractor ON files
  BEGIN ${DROP_SNAPSHOT}; END;
CREATE TRIGGER IF NOT EXISTS known_snapshot_delete AFTER DELETE ON files BEGIN ${DROP_SNAPSHOT}; END;`;

/**
 * What an incremental run compares its walk with: the snapshot's rows when it is valid, else a scan of
 * the table. With `track` (a writable store), reading the snapshot also starts logging this connection's
 * writes, and `base` is the blob to hand to `saveKnownSnapshot` at the end (nobody else writes while a
 * run holds the index lock, so the snapshot plus the log stays equal to the table).
 */
export function readKnownPages(
  db: Database.Database,
  track: boolean,
): { pages: IterableIterator<KnownStatPage>; base: Buffer | null } {
  const blob = readKnownSnapshot(db);
  if (blob === null) return { pages: knownStatPages(db), base: null };
  if (track) trackKnownChanges(db);
  return { pages: snapshotPages(db, blob), base: track ? blob : null };
}

/** The rows of a valid snapshot (see `snapshotPages`), or null when there is none to trust. */
export function loadKnownSnapshot(db: Database.Database): IterableIterator<KnownStatPage> | null {
  const blob = readKnownSnapshot(db);
  return blob === null ? null : snapshotPages(db, blob);
}

/**
 * The snapshot's blob when there is one to trust: equal to the files table as of this call (until the
 * next write to it), in this code's layout. Null otherwise.
 */
export function readKnownSnapshot(db: Database.Database): Buffer | null {
  const blob: unknown = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KNOWN_SNAPSHOT_KEY);
  if (!Buffer.isBuffer(blob) || blob.length < HEADER_BYTES) return null;
  const [magic, format, schema] = headerOf(blob);
  if (magic !== MAGIC || format !== FORMAT || schema !== SCHEMA_VERSION) return null;
  const triggers = db
    .prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN (?, ?, ?)`)
    .pluck()
    .get(...TRIGGER_NAMES);
  return triggers === TRIGGER_NAMES.length ? blob : null;
}

function headerOf(blob: Buffer): Uint32Array {
  const header = new Uint32Array(HEADER_WORDS);
  new Uint8Array(header.buffer).set(blob.subarray(0, HEADER_BYTES));
  return header;
}

/**
 * The rows of a blob from `readKnownSnapshot`, as the pages `knownStatPages` would give (same order,
 * same kinds). Pages decode lazily, so their strings die young as the scan's did.
 * @throws GroveError INDEX_CORRUPT when the blob does not add up.
 */
export function snapshotPages(db: Database.Database, blob: Buffer): IterableIterator<KnownStatPage> {
  const [, , , rows = 0, pages = 0, kindsBytes = 0, pathsBytes = 0, pageRows = 0] = headerOf(blob);
  const statBytes = rows * STAT_FIELDS * 8;
  const expected = HEADER_BYTES + statBytes + rows * 4 + (pages + 1) * 4 + kindsBytes + pathsBytes;
  if (blob.length !== expected || pageRows === 0 || pages !== Math.ceil(rows / pageRows)) {
    throw corrupt(db, 'its size');
  }
  let at = HEADER_BYTES;
  // Typed arrays need aligned offsets: a view of the blob when it is aligned (as a large Buffer is), a
  // copy otherwise.
  const take = <T extends Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(
    Type: new (buffer: ArrayBuffer, offset?: number, length?: number) => T,
    length: number,
    bytesPer: number,
  ): T => {
    const offset = blob.byteOffset + at;
    const bytes = blob.subarray(at, at + length * bytesPer);
    at += bytes.length;
    if (offset % bytesPer === 0 && blob.buffer instanceof ArrayBuffer)
      return new Type(blob.buffer, offset, length);
    const copy = new Type(new ArrayBuffer(bytes.length));
    new Uint8Array(copy.buffer).set(bytes);
    return copy;
  };
  const stats = take(Float64Array, rows * STAT_FIELDS, 8);
  const kindOf = take(Uint32Array, rows, 4);
  const pageEnds = take(Uint32Array, pages + 1, 4);
  const kinds = JSON.parse(blob.toString('utf8', at, at + kindsBytes)) as KnownKind[];
  return decodePages(db, blob.subarray(at + kindsBytes), { rows, pageRows, stats, kindOf, pageEnds, kinds });
}

interface Decoded {
  rows: number;
  pageRows: number;
  stats: Float64Array<ArrayBuffer>;
  kindOf: Uint32Array<ArrayBuffer>;
  /** Byte offsets into the paths of each page's start, and of the end. */
  pageEnds: Uint32Array;
  kinds: KnownKind[];
}

function* decodePages(
  db: Database.Database,
  paths: Buffer,
  decoded: Decoded,
): IterableIterator<KnownStatPage> {
  const { rows, pageRows, stats, kindOf, pageEnds, kinds } = decoded;
  for (let page = 0, first = 0; first < rows; page++, first += pageRows) {
    const count = Math.min(pageRows, rows - first);
    // Each path ends in a NUL (no file name holds one): the page's bytes minus its last NUL split into
    // exactly its paths.
    const start = pageEnds[page] as number;
    const end = (pageEnds[page + 1] as number) - 1;
    const pagePaths = paths.toString('utf8', start, end).split('\0');
    if (pagePaths.length !== count || paths[end] !== 0) throw corrupt(db, 'its paths');
    yield {
      paths: pagePaths,
      stats: stats.subarray(first * STAT_FIELDS, (first + count) * STAT_FIELDS),
      kindOf: kindOf.subarray(first, first + count),
      newKinds: page === 0 ? kinds : [],
    };
  }
}

/**
 * Writes a snapshot of the files table unless a valid one is there already (nothing changed since the
 * last). `base`, a blob this connection read while tracking its changes (see known-changes.ts), is
 * merged with the rows changed since, else the table is scanned. Reading and writing share one write
 * transaction: no row can change in between. Returns whether it wrote one.
 */
export function saveKnownSnapshot(db: Database.Database, base: Buffer | null = null): boolean {
  const exists = db.prepare('SELECT 1 FROM meta WHERE key = ?').pluck();
  const write = db.transaction(() => {
    if (exists.get(KNOWN_SNAPSHOT_KEY) !== undefined) return false;
    db.exec(TRIGGERS);
    const merged = base === null ? null : mergeKnownChanges(db, snapshotPages(db, base));
    const blob = encode(merged ?? knownStatPages(db));
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(KNOWN_SNAPSHOT_KEY, blob);
    return true;
  });
  return write.immediate();
}

function encode(pages: Iterable<KnownStatPage>): Buffer {
  const statParts: Buffer[] = [];
  const kindParts: Buffer[] = [];
  const pathParts: Buffer[] = [];
  const pageEnds = [0];
  const kinds: KnownKind[] = [];
  let rows = 0;
  let pathBytes = 0;
  for (const page of pages) {
    // Pages of the scan hold PAGE_ROWS rows but the last: the decoder relies on it.
    if (rows % PAGE_ROWS !== 0) throw new GroveError('INTERNAL', 'A known-files page was short.');
    kinds.push(...page.newKinds);
    statParts.push(Buffer.from(page.stats.buffer, page.stats.byteOffset, page.stats.byteLength));
    kindParts.push(Buffer.from(page.kindOf.buffer, page.kindOf.byteOffset, page.kindOf.byteLength));
    const text = Buffer.from(`${page.paths.join('\0')}\0`, 'utf8');
    pathParts.push(text);
    pathBytes += text.length;
    pageEnds.push(pathBytes);
    rows += page.paths.length;
  }
  const kindsJson = Buffer.from(JSON.stringify(kinds), 'utf8');
  const header = Uint32Array.of(
    MAGIC,
    FORMAT,
    SCHEMA_VERSION,
    rows,
    pageEnds.length - 1,
    kindsJson.length,
    pathBytes,
    PAGE_ROWS,
  );
  return Buffer.concat([
    Buffer.from(header.buffer),
    ...statParts,
    ...kindParts,
    Buffer.from(Uint32Array.from(pageEnds).buffer),
    kindsJson,
    ...pathParts,
  ]);
}

function corrupt(db: Database.Database, what: string): GroveError {
  const message = `Index ${db.name} is corrupt: its snapshot of known files is damaged (${what}).`;
  return new GroveError('INDEX_CORRUPT', message, { path: db.name });
}
