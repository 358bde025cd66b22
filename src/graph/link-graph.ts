/**
 * Links the index into a graph after files were written: resolves imports to files, references to the
 * files defining them (resolve-ref.ts), and ranks files by PageRank. Only what changed is linked again:
 * the files written since the last link (`graph_dirty`), the files that used their definitions, and,
 * when a file's defined names changed, the users of those names. When that set is large a full link is
 * cheaper, and global ranks are recomputed then (a partial link keeps them: ranks shift little).
 */
import { collectGarbage, createHeapGuard } from '../obs/collect-garbage.js';
import { traceMemory } from '../obs/rss.js';
import type { GraphStore, NameRef } from '../store/graph-store.js';
import { loadGraph } from './load-graph.js';
import { pageRank } from './pagerank.js';
import { basename, createPathIndex, dirname, type PathIndex } from './path-index.js';
import { resolveImport } from './resolve-import.js';
import { type Definers, type RefSite, refWeight, resolveRef } from './resolve-ref.js';

/** A partial link touching more files than this (or this share of the index) links everything. */
const MAX_PARTIAL_FILES = 2_000;
const MAX_PARTIAL_SHARE = 0.1;
/**
 * When this share of the index is written (a first build, `--full`, a branch switch in a small repo) the
 * whole index is linked at once: finding the users of every new name costs a query per name, and the
 * first build of a 436-file directory of register headers (3.5M `#define`s) spent 30 s on those queries
 * to conclude that every file must be linked.
 */
const FULL_LINK_DIRTY_SHARE = 0.5;
/** Below this many files, ranks are recomputed even after a partial link (cheap). */
const RERANK_ALWAYS_BELOW = 20_000;
/**
 * Garbage the link loop may leave before collecting: each file allocates its refs, definer lists and
 * edges, and on the kernel an unguarded heap grew by ~75 MiB, a third of a 256M budget.
 */
const LINK_HEAP_SLACK_BYTES = 16 * 1024 * 1024;
const HEAP_CHECK_EVERY_FILES = 256;

export interface LinkResult {
  mode: 'none' | 'partial' | 'full';
  /** Files whose outgoing edges were computed. */
  files: number;
}

export function linkGraph(graph: GraphStore): LinkResult {
  const dirty = graph.dirtyCount();
  if (dirty === 0) return { mode: 'none', files: 0 };
  const total = graph.fileCount();
  const limit = Math.max(MAX_PARTIAL_FILES, Math.floor(total * MAX_PARTIAL_SHARE));
  let paths: PathIndex | null = null;
  let affected: Set<number> | null = null;
  if (dirty <= limit && dirty < total * FULL_LINK_DIRTY_SHARE) {
    paths = createPathIndex(graph.files());
    affected = affectedFiles(graph, paths, limit);
    // A full link builds its own path index, inside its transaction: never two at once.
    if (affected === null) paths = null;
  }
  // The link runs after a whole pipeline: start it (and the ranking) without the garbage that left.
  // The full link's path index lives only inside the transaction, so it is garbage by ranking time.
  collectGarbage();
  if (affected === null || paths === null) {
    const files = graph.transaction(() => linkAll(graph, createPathIndex(graph.files())));
    traceMemory('link: edges written');
    collectGarbage();
    rank(graph);
    traceMemory('link: ranked');
    return { mode: 'full', files };
  }
  graph.transaction(() => {
    const definers = cachedDefiners(graph);
    const heap = createHeapGuard(LINK_HEAP_SLACK_BYTES);
    let linked = 0;
    for (const fileId of affected) {
      graph.clearFrom(fileId);
      linkFile(graph, paths, fileId, definers);
      if (++linked % HEAP_CHECK_EVERY_FILES === 0) heap.check();
    }
    graph.clearDirty(graph.dirtyFiles());
  });
  if (total < RERANK_ALWAYS_BELOW) rank(graph);
  return { mode: 'partial', files: affected.size };
}

/**
 * The files to link again, or null when there are more than `limit`. A file that newly defines a name
 * can change how a user of it resolves only if the user imports the file or shares its directory, or
 * if the name has so few top-level definitions that the global rule picks among them (see
 * resolve-ref.ts): far users of a common name stay unresolved, and linking them all again made a
 * branch switch that adds a few central files relink the whole kernel.
 */
function affectedFiles(graph: GraphStore, paths: PathIndex, limit: number): Set<number> | null {
  const affected = new Set(graph.dirtyFiles());
  const add = (fileId: number): boolean => {
    affected.add(fileId);
    return affected.size <= limit;
  };
  for (const fileId of importersOfNewPaths(graph)) if (!add(fileId)) return null;
  for (const fileId of graph.dirtyWithNewNames()) {
    const dir = paths.dirOf(fileId);
    const importers = new Set(graph.importers(fileId));
    const near = (user: number) => importers.has(user) || paths.dirOf(user) === dir;
    for (const name of graph.definedNames(fileId)) {
      const everyUser = graph.fewTopLevelDefiners(name, fileId);
      for (const user of graph.referencingFiles(name)) {
        if ((everyUser || near(user)) && !add(user)) return null;
      }
    }
  }
  return affected;
}

/** Definer lookups remembered during a full link: hot names (`kfree`, `printk`) are used by thousands of files. */
const DEFINERS_CACHE_SIZE = 20_000;

type DefinersOf = (name: string) => Definers;

function cachedDefiners(graph: GraphStore): DefinersOf {
  const cache = new Map<string, Definers>();
  return (name) => {
    let found = cache.get(name);
    if (found === undefined) {
      if (cache.size >= DEFINERS_CACHE_SIZE) cache.clear();
      found = graph.definers(name);
      cache.set(name, found);
    }
    return found;
  };
}

function resolveImports(
  graph: GraphStore,
  paths: PathIndex,
  fileId: number,
  sources: Iterable<string>,
): Set<number> {
  const imports = new Set<number>();
  const path = paths.pathOf(fileId);
  if (path === undefined) return imports;
  for (const source of sources) {
    for (const target of resolveImport(paths, path, paths.languageOf(fileId), source)) {
      if (target !== fileId) imports.add(target);
    }
  }
  for (const target of imports) graph.addImport(fileId, target);
  return imports;
}

/** Writes the edges of one file from all its refs, one row per definer file. */
function addEdges(graph: GraphStore, site: RefSite, refs: Iterable<NameRef>, definers: DefinersOf): void {
  const edges = new Map<number, { weight: number; names: number }>();
  for (const [name, uses] of refs) {
    const { via, targets } = resolveRef(definers(name), site);
    if (via === 'file' || targets.length === 0) continue;
    const weight = refWeight(uses, targets.length);
    for (const target of targets) {
      const edge = edges.get(target);
      if (edge === undefined) edges.set(target, { weight, names: 1 });
      else {
        edge.weight += weight;
        edge.names++;
      }
    }
  }
  for (const [dst, edge] of edges) graph.addDep(site.fileId, dst, edge.weight, edge.names);
}

/**
 * Files with an import that may name one of the new paths: the import's last segment (`util` of
 * `./lib/util.js`, `report` of `tools.report`) is the stem or the directory name of a new file. A cheap
 * over-approximation: the candidates are linked again and resolve for real.
 */
function importersOfNewPaths(graph: GraphStore): number[] {
  const stems = new Set<string>();
  for (const path of graph.dirtyNewPaths()) {
    stems.add(stem(basename(path)));
    stems.add(basename(dirname(path)));
  }
  if (stems.size === 0) return [];
  const importers: number[] = [];
  for (const row of graph.importSources()) {
    const last = row.source
      .replace(/::\{.*$/, '')
      .split(/[/.:\\]+/)
      .filter(Boolean);
    const tail = last.at(-1) ?? '';
    if (stems.has(tail) || stems.has(last.at(-2) ?? '')) importers.push(row.fileId);
  }
  return importers;
}

function stem(name: string): string {
  const dot = name.indexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

function linkFile(graph: GraphStore, paths: PathIndex, fileId: number, definers: DefinersOf): void {
  if (paths.pathOf(fileId) === undefined) return; // deleted, skipped or failed: no edges
  const imports = resolveImports(graph, paths, fileId, graph.importsOf(fileId));
  const site: RefSite = { fileId, imports, dirOf: paths.dirOf, languageOf: paths.languageOf };
  addEdges(graph, site, graph.refsOf(fileId), definers);
}

/** Links every file, in id order. Returns how many files were linked. */
function linkAll(graph: GraphStore, paths: PathIndex): number {
  traceMemory('link: path index built');
  graph.beginFullLink();
  const definers = cachedDefiners(graph);
  const heap = createHeapGuard(LINK_HEAP_SLACK_BYTES);
  let linked = 0;
  for (const fileId of paths.ids()) {
    linkFile(graph, paths, fileId, definers);
    if (++linked % HEAP_CHECK_EVERY_FILES === 0) heap.check();
  }
  traceMemory('link: all files linked');
  graph.endFullLink();
  return linked;
}

/** Global PageRank, stored per file for `grove map` without focus. */
function rank(graph: GraphStore): void {
  const loaded = loadGraph(graph);
  const ranks = pageRank(loaded);
  graph.transaction(() => {
    for (let node = 0; node < loaded.n; node++) graph.setRank(loaded.fileIds[node] ?? 0, ranks[node] ?? 0);
  });
}
