/**
 * `grove symbols NAME --refs`: every use of a name, each resolved to the definition it most likely
 * means (see graph/resolve-ref.ts for the rules and their limits).
 */
import type { Resolution } from '../graph/resolve-ref.js';
import type { DefinitionRow } from '../store/graph-queries.js';
import type { Store } from '../store/store.js';
import { createRefSites } from './ref-sites.js';

export interface RefOptions {
  /** Maximum references returned (default 100, at most 10,000). */
  limit?: number;
  /** Only references of this kind (`call`, `type`). */
  kind?: string;
}

export interface RefResult {
  name: string;
  path: string;
  line: number;
  /** `call` or `type`. */
  kind: string;
  /** How the reference was resolved (`file`, `import`, `directory`, `global`, `ambiguous`, `undefined`). */
  resolution: Resolution;
  /** The definition it resolves to; when several files qualify, the first by path. */
  definition: { path: string; line: number; kind: string } | null;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
/** Definitions considered per name: beyond a few, a name is ambiguous anyway. */
const MAX_DEFINITIONS = 1_000;

export function findRefs(store: Store, name: string, options: RefOptions = {}): RefResult[] {
  if (name === '') return [];
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
  return store.read((q) => {
    const definitions = q.definitionsNamed(name, MAX_DEFINITIONS);
    const firstIn = new Map<number, DefinitionRow>();
    for (const d of definitions) if (!firstIn.has(d.fileId)) firstIn.set(d.fileId, d);
    const sites = createRefSites();
    const results: RefResult[] = [];
    // Rows are per file and kind: fetch a few more than needed, then order by line and cut.
    for (const row of q.refsNamed(name, limit)) {
      if (options.kind !== undefined && row.kind !== options.kind) continue;
      sites.note(row.fileId, row.path, row.language);
      const imported = q.resolvedImports(row.fileId);
      for (const f of imported) sites.note(f.id, f.path);
      const { via, targets } = sites.resolve(definitions, row.fileId, new Set(imported.map((f) => f.id)));
      const target = targets
        .map((id) => firstIn.get(id))
        .filter((d) => d !== undefined)
        .sort((a, b) => (a.path < b.path ? -1 : 1))[0];
      const definition = target ? { path: target.path, line: target.line, kind: target.kind } : null;
      for (const line of row.lines.split(',')) {
        results.push({
          name,
          path: row.path,
          line: Number(line),
          kind: row.kind,
          resolution: via,
          definition,
        });
      }
    }
    results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    return results.slice(0, limit);
  });
}
