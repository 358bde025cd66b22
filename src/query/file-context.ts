/**
 * `grove context PATH[:LINE]`: what one needs to work on a file: its definitions (the one enclosing LINE
 * first), its imports, the files it uses and the files that use it, and the most related chunks
 * elsewhere: the callers of its definitions and the definitions it calls. Rendered within a token budget
 * by render-context.ts.
 */

import { GroveError } from '../errors.js';
import type { ChunkRow, DefinitionRow, FileRef, GraphQueries, LinkedFile } from '../store/graph-queries.js';
import type { Store } from '../store/store.js';
import { createRefSites } from './ref-sites.js';
import { renderContext } from './render-context.js';
import { loadTokenCounter, TokenBudget } from './token-count.js';

export interface ContextOptions {
  /** A line of the file: its enclosing definition comes first, and its callers lead the related chunks. */
  line?: number;
  /** Token budget of the rendered context (default 2048). */
  tokens?: number;
}

export interface RelatedChunk extends ChunkRow {
  /** Why it is related: `uses NAME` (it uses a definition of this file) or `defines NAME`. */
  reason: string;
}

export interface FileContext {
  path: string;
  language: string | null;
  line: number | null;
  symbols: (Omit<DefinitionRow, 'fileId' | 'path'> & { enclosing: boolean })[];
  imports: { source: string; line: number }[];
  importedFiles: string[];
  dependencies: Omit<LinkedFile, 'id'>[];
  dependents: Omit<LinkedFile, 'id'>[];
  related: RelatedChunk[];
  text: string;
  tokens: number;
  budget: number;
}

export const DEFAULT_CONTEXT_TOKENS = 2048;
const MAX_LINKED_FILES = 20;
/** Definitions of the file whose callers are looked for, and callers kept per definition. */
const MAX_CALLEE_SYMBOLS = 8;
const MAX_CALLERS_PER_SYMBOL = 3;
/** Names used by the file (or by the enclosing definition) whose definitions are shown. */
const MAX_USED_NAMES = 12;

export async function fileContext(
  store: Store,
  path: string,
  options: ContextOptions = {},
): Promise<FileContext> {
  const budget = new TokenBudget(
    await loadTokenCounter(),
    Math.max(1, options.tokens ?? DEFAULT_CONTEXT_TOKENS),
  );
  return store.read((q) => {
    const file = q.file(path);
    if (file === undefined) {
      throw new GroveError('FILE_NOT_INDEXED', `${path} is not in the index.`, { path });
    }
    const line = options.line ?? null;
    const definitions = q.definitionsIn(file.id);
    const enclosing = line === null ? [] : definitions.filter((d) => d.line <= line && d.endLine >= line);
    // Innermost first: the method before its class.
    enclosing.sort((a, b) => a.endLine - a.line - (b.endLine - b.line));
    const ordered = [...enclosing, ...definitions.filter((d) => !enclosing.includes(d))];
    const dependents = q.dependents(file.id, MAX_LINKED_FILES);
    const related = [...callersOf(q, ordered, dependents), ...calleesOf(q, file, enclosing[0] ?? null)];
    const context: FileContext = {
      path,
      language: file.language,
      line,
      symbols: ordered.map((d) => {
        const { fileId: _fileId, path: _path, ...symbol } = d;
        return { ...symbol, enclosing: enclosing.includes(d) };
      }),
      imports: q.importsOf(file.id),
      importedFiles: q.resolvedImports(file.id).map((f) => f.path),
      dependencies: q.dependencies(file.id, MAX_LINKED_FILES).map(({ id: _i, ...f }) => f),
      dependents: dependents.map(({ id: _i, ...f }) => f),
      related: dedupe(related),
      text: '',
      tokens: 0,
      budget: budget.budget,
    };
    context.text = renderContext(context, budget);
    context.tokens = budget.used;
    return context;
  });
}

/** Chunks of dependent files that use this file's definitions (enclosing ones first). */
function callersOf(q: GraphQueries, definitions: DefinitionRow[], dependents: LinkedFile[]): RelatedChunk[] {
  const chunks: RelatedChunk[] = [];
  const names = [...new Set(definitions.map((d) => d.name))].slice(0, MAX_CALLEE_SYMBOLS);
  for (const name of names) {
    let found = 0;
    for (const user of dependents) {
      const first = q.refLines(user.id, name)[0];
      if (first === undefined) continue;
      const chunk = q.chunkAt(user.id, first);
      if (chunk) chunks.push({ ...chunk, reason: `uses ${name}` });
      if (++found >= MAX_CALLERS_PER_SYMBOL) break;
    }
  }
  return chunks;
}

/** Definitions elsewhere of the names this file (or its enclosing definition) uses most. */
function calleesOf(q: GraphQueries, file: FileRef, enclosing: DefinitionRow | null): RelatedChunk[] {
  const fileId = file.id;
  const sites = createRefSites();
  sites.note(fileId, file.path, file.language);
  const imported = q.resolvedImports(fileId);
  for (const f of imported) sites.note(f.id, f.path);
  const imports = new Set(imported.map((f) => f.id));
  let used = q.refsOf(fileId);
  if (enclosing !== null) {
    used = used.filter((ref) =>
      q.refLines(fileId, ref.name).some((l) => l >= enclosing.line && l <= enclosing.endLine),
    );
  }
  const chunks: RelatedChunk[] = [];
  for (const ref of used) {
    if (chunks.length >= MAX_USED_NAMES) break;
    const definitions = q.definitionsNamed(ref.name, 50);
    const { via, targets } = sites.resolve(definitions, fileId, imports);
    if (via === 'file' || targets.length === 0) continue;
    const target = definitions.find((d) => targets.includes(d.fileId));
    const chunk = target ? q.chunkAt(target.fileId, target.line) : undefined;
    if (chunk) chunks.push({ ...chunk, reason: `defines ${ref.name}` });
  }
  return chunks;
}

function dedupe(chunks: RelatedChunk[]): RelatedChunk[] {
  const seen = new Set<string>();
  return chunks.filter((c) => {
    const key = `${c.path}:${c.startLine}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
