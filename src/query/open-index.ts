/**
 * The query API over an index directory, shared by the CLI and library users (and later the daemon and
 * MCP): one implementation, several transports.
 */
import { indexDbPath } from '../config/resolve-config.js';
import { type IndexStatus, type SearchResult, Store, type SymbolResult } from '../store/store.js';
import { type Freshness, readFreshness } from './freshness.js';

export interface SearchOptions {
  limit?: number;
  language?: string;
  pathGlob?: string;
  kind?: string;
}

export interface GroveIndex {
  search(query: string, options?: SearchOptions): { results: SearchResult[]; freshness: Freshness };
  symbols(
    name: string,
    options?: { limit?: number; kind?: string },
  ): { results: SymbolResult[]; freshness: Freshness };
  status(): IndexStatus & { freshness: Freshness };
  close(): void;
}

/** Opens the index in `indexDir` (the `.grove` directory) read-only. */
export function openIndex(indexDir: string): GroveIndex {
  const store = Store.open(indexDbPath(indexDir), { readonly: true });
  return {
    search: (query, options) => ({ results: store.search(query, options), freshness: readFreshness(store) }),
    symbols: (name, options) => ({ results: store.symbols(name, options), freshness: readFreshness(store) }),
    status: () => ({ ...store.status(), freshness: readFreshness(store) }),
    close: () => store.close(),
  };
}
