/**
 * `grove map`: the files that matter most (PageRank over the reference graph, personalised towards the
 * focus files when given) with their most used definitions, fitted to a token budget. The output is
 * deterministic: ties break by path, then line.
 */
import { loadGraph } from '../graph/load-graph.js';
import { pageRank } from '../graph/pagerank.js';
import type { DefinitionRow, FileRef, GraphQueries } from '../store/graph-queries.js';
import type { Store } from '../store/store.js';
import { loadTokenCounter, TokenBudget } from './token-count.js';

export interface MapOptions {
  /** Token budget of the rendered map (default 1024). */
  tokens?: number;
  /** Paths (relative to the root) whose neighbourhood the map should favour. */
  focus?: readonly string[];
}

export interface MapFile {
  path: string;
  rank: number;
  symbols: { name: string; kind: string; line: number; signature: string }[];
}

export interface RepoMap {
  files: MapFile[];
  /** The map as text, as an agent would read it. */
  text: string;
  tokens: number;
  budget: number;
  /** Focus paths that are not in the index. */
  unknownFocus: string[];
}

export const DEFAULT_MAP_TOKENS = 1024;
/** Candidate files ranked before the budget cuts: a budget rarely holds more than a few hundred. */
const MAX_CANDIDATES = 2_000;
/** Definitions listed per file at most, the most used first. */
const MAX_SYMBOLS_PER_FILE = 12;
/** Kinds worth listing in a map: members and locals are noise at this level. */
const MAP_KINDS = new Set([
  'function',
  'class',
  'struct',
  'interface',
  'type',
  'enum',
  'trait',
  'module',
  'namespace',
  'union',
  'macro',
  'constant',
  'method',
  'variable',
]);

export async function repoMap(store: Store, options: MapOptions = {}): Promise<RepoMap> {
  const budget = new TokenBudget(await loadTokenCounter(), Math.max(1, options.tokens ?? DEFAULT_MAP_TOKENS));
  const focus = options.focus ?? [];
  return store.read((q) => {
    const unknownFocus = focus.filter((path) => q.file(path) === undefined);
    const candidates =
      focus.length > unknownFocus.length ? focusedRanking(store, q, focus) : q.topRanked(MAX_CANDIDATES);
    const files: MapFile[] = [];
    const lines: string[] = [];
    for (const file of candidates) {
      const block = fitFile(q, file, budget);
      if (block === null) break; // not even the path fits any more
      files.push(block.file);
      lines.push(block.text);
    }
    return { files, text: lines.join(''), tokens: budget.used, budget: budget.budget, unknownFocus };
  });
}

/** Personalised PageRank from the focus files; the focus files themselves come first. */
function focusedRanking(store: Store, q: GraphQueries, focus: readonly string[]): FileRef[] {
  const loaded = loadGraph(store.graph);
  const restart = new Map<number, number>();
  for (const path of focus) {
    const node = loaded.nodeOf.get(q.file(path)?.id ?? -1);
    if (node !== undefined) restart.set(node, 1);
  }
  const ranks = pageRank(loaded, restart);
  const order = [...ranks.keys()].filter((node) => (ranks[node] ?? 0) > 0);
  order.sort((a, b) => (ranks[b] ?? 0) - (ranks[a] ?? 0) || a - b);
  const ranked: FileRef[] = [];
  for (const node of order.slice(0, MAX_CANDIDATES)) {
    const file = q.fileById(loaded.fileIds[node] ?? -1);
    if (file) ranked.push({ ...file, rank: ranks[node] ?? 0 });
  }
  return ranked;
}

/**
 * The file's block with as many of its most used definitions as fit in what is left of the budget (the
 * least used go first); null when not even its path fits.
 */
function fitFile(
  q: GraphQueries,
  file: FileRef,
  budget: TokenBudget,
): { file: MapFile; text: string } | null {
  const definitions = q.definitionsIn(file.id).filter((d) => MAP_KINDS.has(d.kind) && d.parent === null);
  const scored = definitions.map((d) => ({ d, users: q.usersOfName(d.name) }));
  scored.sort((a, b) => b.users - a.users || a.d.line - b.d.line);
  const chosen = scored.slice(0, MAX_SYMBOLS_PER_FILE).map((s) => s.d);
  chosen.sort((a, b) => a.line - b.line);
  for (;;) {
    const text = render(file.path, chosen);
    if (budget.take(text) !== null) {
      const symbols = chosen.map((d) => ({
        name: d.name,
        kind: d.kind,
        line: d.line,
        signature: d.signature,
      }));
      return { file: { path: file.path, rank: file.rank, symbols }, text };
    }
    if (chosen.length === 0) return null;
    removeLeastUsed(chosen, scored);
  }
}

function removeLeastUsed(chosen: DefinitionRow[], scored: { d: DefinitionRow; users: number }[]): void {
  for (let i = scored.length - 1; i >= 0; i--) {
    const index = chosen.indexOf(scored[i]?.d as DefinitionRow);
    if (index >= 0) {
      chosen.splice(index, 1);
      return;
    }
  }
}

function render(path: string, definitions: readonly DefinitionRow[]): string {
  let text = `${path}\n`;
  for (const d of definitions) text += `  ${d.line}: ${d.signature || `${d.kind} ${d.name}`}\n`;
  return text;
}
