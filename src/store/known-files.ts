/**
 * The stat columns of every files row, in path order, for an incremental run that compares them with a
 * walk: one sequential scan instead of one indexed lookup per file (78k kernel files: ~0.2 s vs ~0.8 s).
 * Rows travel in columnar pages (no object per row), so that a page can cross a thread boundary whole.
 */
import type Database from 'better-sqlite3';

/** What a walk entry is compared with to decide, without reading it, that a file needs no work. */
export interface KnownStat {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  state: string;
  reason: string;
  language: string | null;
  extractor: string | null;
}

/** The columns rows share a lot: a page refers to them by index into `KnownStatPage.kinds`. */
export type KnownKind = Pick<KnownStat, 'state' | 'reason' | 'language' | 'extractor'>;

/** `STAT_FIELDS` numbers per row in `KnownStatPage.stats`: size, mtimeMs, ino, dev. */
export const STAT_FIELDS = 4;

/** A page of rows in path order. */
export interface KnownStatPage {
  paths: string[];
  stats: Float64Array<ArrayBuffer>;
  /** Per row, an index into the scan's kind table (every kind seen so far in this scan). */
  kindOf: Uint32Array<ArrayBuffer>;
  /** Kinds first seen in this page, appended to the scan's table in order. */
  newKinds: KnownKind[];
}

/**
 * Rows per page. Between pages no statement is open, so the pipeline may write while it scans. Small
 * pages die young: with grove's 2 MiB young generation, 4096-row pages (~1 MiB of row values) outlived
 * scavenges and were promoted; 512 rows cut an unchanged kernel re-run's CPU by ~12% and its peak RSS
 * from 96 to 74 MiB (medians of 5, interleaved).
 */
export const PAGE_ROWS = 512;

const COLUMNS = 'path, size, mtime_ms, ino, dev, state, reason, language, extractor';

type RawRow = [string, number, number, number, number, string, string, string | null, string | null];

/**
 * Numbers the distinct (state, reason, language, extractor) of a scan: a handful cover every row of a
 * repository. Nested maps, so that finding a row's kind allocates nothing.
 */
export class KindTable {
  readonly #index = new Map<string, Map<string, Map<string | null, Map<string | null, number>>>>();
  #size = 0;

  /** The kind's number; a kind not seen before is numbered and appended to `added`. */
  indexOf(
    state: string,
    reason: string,
    language: string | null,
    extractor: string | null,
    added: KnownKind[],
  ) {
    const byExtractor = child(child(child(this.#index, state), reason), language);
    let kind = byExtractor.get(extractor);
    if (kind === undefined) {
      kind = this.#size++;
      byExtractor.set(extractor, kind);
      added.push({ state, reason, language, extractor });
    }
    return kind;
  }
}

function child<K, V extends Map<unknown, unknown>>(map: Map<K, V>, key: K): V {
  let value = map.get(key);
  if (value === undefined) {
    value = new Map() as V;
    map.set(key, value);
  }
  return value;
}

/** Every files row's stat columns in path order (SQLite BINARY = UTF-8 byte order, the walk's order). */
export function* knownStatPages(db: Database.Database): IterableIterator<KnownStatPage> {
  const first = db.prepare<[number], RawRow>(`SELECT ${COLUMNS} FROM files ORDER BY path LIMIT ?`).raw();
  const next = db
    .prepare<[string, number], RawRow>(`SELECT ${COLUMNS} FROM files WHERE path > ? ORDER BY path LIMIT ?`)
    .raw();
  const kinds = new KindTable();
  let rows = first.all(PAGE_ROWS);
  while (rows.length > 0) {
    const page: KnownStatPage = {
      paths: new Array<string>(rows.length),
      stats: new Float64Array(rows.length * STAT_FIELDS),
      kindOf: new Uint32Array(rows.length),
      newKinds: [],
    };
    const { paths, stats, kindOf } = page;
    for (let i = 0; i < rows.length; i++) {
      const [path, size, mtimeMs, ino, dev, state, reason, language, extractor] = rows[i] as RawRow;
      paths[i] = path;
      const at = i * STAT_FIELDS;
      stats[at] = size;
      stats[at + 1] = mtimeMs;
      stats[at + 2] = ino;
      stats[at + 3] = dev;
      kindOf[i] = kinds.indexOf(state, reason, language, extractor, page.newKinds);
    }
    yield page;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < PAGE_ROWS) return;
    rows = next.all(last[0], PAGE_ROWS);
  }
}
