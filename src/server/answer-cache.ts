/**
 * A project's recent answers, for the questions asked again while the index has not changed: agents
 * repeat searches and lookups (several agents on one repository, one agent after its context was
 * compacted), and a search costs ~5 ms on the kernel, a map hundreds. An answer is kept with the index
 * version it was read at (SQLite's `data_version`, which moves with every commit of another connection)
 * and served only while the version is the same: the first question after an index run computes again.
 * Bounded by bytes (the answer's JSON length), least recently used out first.
 */

/** Per project: a few hundred typical answers (a search's 10 results with snippets is ~3-5 KB). */
export const DEFAULT_ANSWER_CACHE_BYTES = 4 * 1024 * 1024;
/** An answer bigger than this share of the cache (a huge map) is not kept: it would push out many. */
const MAX_ENTRY_SHARE = 1 / 8;

interface Entry {
  value: Record<string, unknown>;
  bytes: number;
}

export interface AnswerCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
}

export class AnswerCache {
  readonly #maxBytes: number;
  /** Map order is the LRU order: a hit moves its entry to the most recent end. */
  readonly #entries = new Map<string, Entry>();
  #version: number | null = null;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(maxBytes = DEFAULT_ANSWER_CACHE_BYTES) {
    this.#maxBytes = maxBytes;
  }

  get stats(): AnswerCacheStats {
    return { entries: this.#entries.size, bytes: this.#bytes, hits: this.#hits, misses: this.#misses };
  }

  /** The answer to `key` read at index version `version`, if kept. */
  get(key: string, version: number): Record<string, unknown> | undefined {
    this.#at(version);
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value`, the answer to `key` read at `version` (a version since moved on is not kept). */
  set(key: string, version: number, value: Record<string, unknown>): void {
    if (this.#version !== version) return;
    const bytes = JSON.stringify(value).length + key.length;
    if (bytes > this.#maxBytes * MAX_ENTRY_SHARE) return;
    this.#remove(key);
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldest] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(oldest);
    }
  }

  /** Forgets every answer (the index file was replaced). */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#version = null;
  }

  /** A new version makes every kept answer stale: they go at once, not one by one. */
  #at(version: number): void {
    if (this.#version === version) return;
    this.clear();
    this.#version = version;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
