/**
 * A merge of the walk with the index's files rows. Both come in UTF-8 byte order of the path, so one
 * forward scan of the files table answers "what does the index know about this path?" for every walked
 * file, and the rows the scan passes over without a match are the files the walk no longer finds. This
 * replaces a lookup per file and a set of every walked path (78k kernel files: ~1 s of a 2.6 s re-run).
 *
 * The walk is sorted except where a directory symlink sorts under its own name rather than `name/`;
 * such an out-of-order path is looked up directly and protected from removal, so correctness never
 * depends on the order, only speed does.
 *
 * Rows written while the scan goes on are never mistaken for unseen ones: a path is written only after
 * the walk reached it, and by then the scan has already read every row up to it (pages are read whole,
 * in order, each starting after the last row read).
 */
import { type KnownKind, type KnownStat, type KnownStatPage, STAT_FIELDS } from '../store/known-files.js';
import { compareUtf8 } from '../store/path-order.js';

export interface KnownCursorSource {
  /** Every files row in path order (byte order), a page at a time. */
  pages: Iterator<KnownStatPage>;
  /** The row of one path, for a path that arrives out of order. */
  lookup(path: string): KnownStat | undefined;
}

export class KnownCursor {
  readonly #source: KnownCursorSource;
  readonly #kinds: KnownKind[] = [];
  #page: KnownStatPage | null = null;
  #row = 0;
  #ended = false;
  #lastPath: string | null = null;
  /** Rows passed over without a match: removed at the end unless their path arrived out of order. */
  readonly #passed: string[] = [];
  readonly #outOfOrder = new Set<string>();

  constructor(source: KnownCursorSource) {
    this.#source = source;
  }

  /** What the index knows about `path`, a walked path (each at most once per run), in walk order. */
  known(path: string): KnownStat | undefined {
    // The usual answer on a re-run: the next row is this path. Rows only grow and every row before the
    // cursor is at most the last path asked, so this path is in order; no comparison needed.
    const current = this.#page;
    if (current !== null && current.paths[this.#row] === path) {
      this.#lastPath = path;
      return this.#stat(current, this.#row++);
    }
    if (this.#lastPath !== null && compareUtf8(path, this.#lastPath) <= 0) {
      this.#outOfOrder.add(path);
      return this.#source.lookup(path);
    }
    this.#lastPath = path;
    for (;;) {
      const page = this.#page;
      if (page === null || this.#row >= page.paths.length) {
        if (!this.#nextPage()) return undefined;
        continue;
      }
      const rowPath = page.paths[this.#row] as string;
      const order = compareUtf8(rowPath, path);
      if (order > 0) return undefined;
      const row = this.#row++;
      if (order === 0) return this.#stat(page, row);
      this.#passed.push(rowPath);
    }
  }

  /** After the whole walk: the indexed paths it did not find. Drains the scan. */
  unseen(): string[] {
    for (;;) {
      const page = this.#page;
      if (page !== null) this.#passed.push(...page.paths.slice(this.#row));
      if (!this.#nextPage()) break;
    }
    return this.#outOfOrder.size === 0 ? this.#passed : this.#passed.filter((p) => !this.#outOfOrder.has(p));
  }

  #nextPage(): boolean {
    this.#page = null;
    this.#row = 0;
    if (this.#ended) return false;
    const next = this.#source.pages.next();
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    this.#page = next.value;
    this.#kinds.push(...next.value.newKinds);
    return true;
  }

  #stat(page: KnownStatPage, row: number): KnownStat {
    const at = row * STAT_FIELDS;
    const kind = this.#kinds[page.kindOf[row] as number] as KnownKind;
    const { stats } = page;
    return {
      path: page.paths[row] as string,
      size: stats[at] as number,
      mtimeMs: stats[at + 1] as number,
      ino: stats[at + 2] as number,
      dev: stats[at + 3] as number,
      // Named, not spread: one object shape for every row, built without a property walk.
      state: kind.state,
      reason: kind.reason,
      language: kind.language,
      extractor: kind.extractor,
    };
  }
}
