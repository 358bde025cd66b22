/**
 * Renders the reference graph of an index as reviewable text: every import with the files it resolved
 * to, every dependency edge with the names behind it, and the uses of chosen names with the definition
 * each resolves to. The stored tables are the truth; the resolvers are called again only to say which
 * import source and which names produced a stored edge, and the rendering checks that they agree, and
 * that `--refs` resolves each use as the linker did.
 */
import { createPathIndex, type PathIndex } from '../../src/graph/path-index.js';
import { resolveImport } from '../../src/graph/resolve-import.js';
import { type ResolvedRef, resolveRef } from '../../src/graph/resolve-ref.js';
import type { GroveIndex, RefResult } from '../../src/query/open-index.js';
import type { Store } from '../../src/store/store.js';

const NO_LIMIT = 10_000;

/** Thrown when the stored graph and what its annotations recompute disagree. */
export class GraphMismatch extends Error {}

function sameSet(a: Iterable<string>, b: Iterable<string>): boolean {
  const x = [...new Set(a)].sort().join('\n');
  const y = [...new Set(b)].sort().join('\n');
  return x === y;
}

function renderImports(store: Store, paths: PathIndex): string[] {
  const lines: string[] = [];
  for (const id of paths.ids()) {
    const path = paths.pathOf(id) ?? '';
    const language = paths.languageOf(id);
    const resolvedHere: string[] = [];
    store.read((q) => {
      for (const { source, line } of q.importsOf(id)) {
        const targets = resolveImport(paths, path, language, source)
          .filter((target) => target !== id)
          .map((target) => paths.pathOf(target) ?? '?')
          .sort();
        resolvedHere.push(...targets);
        const shown = targets.length === 0 ? '(nothing)' : targets.join(', ');
        lines.push(`${path}:${line} ${JSON.stringify(source)} -> ${shown}`);
      }
      const stored = q.resolvedImports(id).map((file) => file.path);
      if (!sameSet(stored, resolvedHere))
        throw new GraphMismatch(
          `${path}: file_imports holds [${stored}], its imports resolve to [${resolvedHere}]`,
        );
    });
  }
  return lines;
}

/** How the linker resolves `name` used in file `id`. */
function linkerResolution(store: Store, paths: PathIndex, id: number, name: string): ResolvedRef {
  return resolveRef(store.graph.definers(name), {
    fileId: id,
    imports: new Set(store.graph.resolvedImports(id)),
    dirOf: paths.dirOf,
    languageOf: paths.languageOf,
  });
}

function renderDeps(store: Store, paths: PathIndex): string[] {
  const lines: string[] = [];
  for (const id of paths.ids()) {
    const path = paths.pathOf(id) ?? '';
    const namesByTarget = new Map<number, string[]>();
    for (const [name] of store.graph.refsOf(id)) {
      const { via, targets } = linkerResolution(store, paths, id, name);
      if (via === 'file') continue;
      for (const target of targets) namesByTarget.set(target, [...(namesByTarget.get(target) ?? []), name]);
    }
    const edges = store.read((q) => q.dependencies(id, NO_LIMIT));
    for (const edge of [...edges].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      // One file_deps name per refs row (a name and a kind): `Order` used as a type and called counts twice.
      const rows = namesByTarget.get(edge.id) ?? [];
      const names = [...new Set(rows)].sort();
      if (rows.length !== edge.names)
        throw new GraphMismatch(
          `${path} -> ${edge.path}: file_deps counts ${edge.names} names, found [${rows}]`,
        );
      namesByTarget.delete(edge.id);
      lines.push(`${path} -> ${edge.path} (${names.join(', ')})`);
    }
    if (namesByTarget.size > 0)
      throw new GraphMismatch(
        `${path}: names resolve to files without a file_deps row: ${[...namesByTarget.keys()]}`,
      );
  }
  return lines;
}

/** Throws unless `grove symbols --refs` resolved the use as the linker does. */
function checkAgainstLinker(store: Store, paths: PathIndex, ref: RefResult): void {
  const id = paths.idOf(ref.path) ?? -1;
  const { via, targets } = linkerResolution(store, paths, id, ref.name);
  const shown = ref.definition === null ? undefined : paths.idOf(ref.definition.path);
  const agrees =
    via === ref.resolution && (shown === undefined ? targets.length === 0 : targets.includes(shown));
  if (!agrees)
    throw new GraphMismatch(
      `${ref.path}:${ref.line} ${ref.name}: --refs says ${ref.resolution} ${ref.definition?.path}, the linker ${via} [${targets.map(paths.pathOf)}]`,
    );
}

function renderRefs(store: Store, paths: PathIndex, index: GroveIndex, names: readonly string[]): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const definitions = store.read((q) => q.definitionsNamed(name, NO_LIMIT));
    const defined = definitions.map(
      (d) => `${d.path}:${d.line} ${d.kind}${d.parent === null ? '' : ` in ${d.parent}`}`,
    );
    lines.push(`${name}: defined at ${defined.length === 0 ? '(nowhere)' : defined.join(', ')}`);
    for (const ref of index.refs(name, { limit: NO_LIMIT }).results) {
      checkAgainstLinker(store, paths, ref);
      const target = ref.definition === null ? 'nothing' : `${ref.definition.path}:${ref.definition.line}`;
      lines.push(`  ${ref.path}:${ref.line} ${ref.kind} -> ${target} (${ref.resolution})`);
    }
  }
  return lines;
}

/** The golden text of one indexed fixture project. */
export function renderGraph(store: Store, index: GroveIndex, refNames: readonly string[]): string {
  const paths = createPathIndex(store.graph.files());
  const section = (title: string, lines: string[]) => `## ${title}\n${lines.join('\n')}\n`;
  return [
    section('imports (importer:line "source" -> files)', renderImports(store, paths)),
    section('dependencies (user -> definer (names))', renderDeps(store, paths)),
    section('references (use -> definition (resolution))', renderRefs(store, paths, index, refNames)),
  ].join('\n');
}
