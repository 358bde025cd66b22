/**
 * Reference resolution by name, as far as names and imports allow without type information: a name
 * used in a file resolves to the definitions the language would most likely pick, in this order:
 * 1. the file itself (a local or static definition shadows everything else);
 * 2. files it imports (a header it includes, a module it imports);
 * 3. files in its own directory (the same package or module), where the language's scoping allows;
 * 4. any file, when the name has few top-level definitions in the whole repository, where the
 *    language's scoping allows (C: headers declare what is defined anywhere); of those, the ones in the
 *    directory of a header the file includes when there are any.
 * Only definitions in the user's language family count (C with C++, JavaScript with TypeScript): a Go
 * `Store` never defines the `Store` a TypeScript file uses.
 * A name defined in many unrelated places (`init`, `probe`) with none of them nearby stays unresolved
 * rather than fanning out into false edges.
 */

import { type Definers, MAX_GLOBAL_DEFINERS } from '../store/graph-store.js';

export { type Definers, isMemberKind, MAX_GLOBAL_DEFINERS, toDefiners } from '../store/graph-store.js';

export type Resolution = 'file' | 'import' | 'directory' | 'global' | 'ambiguous' | 'undefined';

export interface ResolvedRef {
  via: Resolution;
  /** The files holding the definitions the reference resolves to. */
  targets: readonly number[];
}

export interface RefSite {
  fileId: number;
  /** The language of a file (null: unknown); see languageFamily. */
  languageOf(fileId: number): string | null;
  /** Files the referencing file imports. */
  imports: ReadonlySet<number>;
  dirOf(fileId: number): number;
}

const FAMILIES: Record<string, string> = { cpp: 'c', typescript: 'javascript', tsx: 'javascript' };

/**
 * Which rules a family's scoping allows beyond the file and its imports. JavaScript and Python name
 * every outside definition in an import; Go and Java also see their package (the directory); C sees
 * whatever its headers declare, so a unique name anywhere is a fair guess. Unknown families: all rules.
 */
const SCOPES: Record<string, { directory: boolean; global: boolean }> = {
  javascript: { directory: false, global: false },
  python: { directory: false, global: false },
  go: { directory: true, global: false },
  java: { directory: true, global: false },
  rust: { directory: true, global: false },
};
const OPEN_SCOPE = { directory: true, global: true };

/** Languages whose files can use each other's definitions share a family. */
export function languageFamily(language: string | null): string | null {
  return language === null ? null : (FAMILIES[language] ?? language);
}

export function resolveRef(all: Definers, site: RefSite): ResolvedRef {
  const family = languageFamily(site.languageOf(site.fileId));
  const inFamily = (id: number): boolean => languageFamily(site.languageOf(id)) === family;
  const definers = all.files.filter(inFamily);
  if (definers.length === 0) return { via: 'undefined', targets: [] };
  if (definers.includes(site.fileId)) return { via: 'file', targets: [site.fileId] };
  const imported = definers.filter((id) => site.imports.has(id));
  if (imported.length > 0) return { via: 'import', targets: imported };
  const scope = SCOPES[family ?? ''] ?? OPEN_SCOPE;
  if (!scope.directory) return { via: 'ambiguous', targets: [] };
  const dir = site.dirOf(site.fileId);
  const sameDir = definers.filter((id) => site.dirOf(id) === dir);
  if (sameDir.length > 0) return { via: 'directory', targets: sameDir };
  // Far from the user, a method name (`get`, `close`) says nothing about which class it belongs to:
  // only top-level definitions resolve globally.
  if (!scope.global) return { via: 'ambiguous', targets: [] };
  const topLevel = all.topLevel.filter(inFamily);
  if (topLevel.length === 0 || topLevel.length > MAX_GLOBAL_DEFINERS)
    return { via: 'ambiguous', targets: [] };
  if (topLevel.length === 1) return { via: 'global', targets: topLevel };
  // An implementation usually sits next to the header that declares it: among the few candidates, the
  // ones beside a file the user includes win over a same-named (often static) function elsewhere.
  const dirs = importedDirs(site);
  const besideImports = topLevel.filter((id) => dirs.has(site.dirOf(id)));
  return { via: 'global', targets: besideImports.length > 0 ? besideImports : topLevel };
}

/** The linker resolves all of a file's names against one site: its imports' directories are computed once. */
const importedDirsCache = new WeakMap<RefSite, Set<number>>();

function importedDirs(site: RefSite): Set<number> {
  let dirs = importedDirsCache.get(site);
  if (dirs === undefined) {
    dirs = new Set([...site.imports].map((id) => site.dirOf(id)));
    importedDirsCache.set(site, dirs);
  }
  return dirs;
}

/**
 * How much one referenced name adds to the edge from its user to each definer: more uses count more,
 * sublinearly (one file calling a helper 50 times is not 50 dependencies), split between ambiguous
 * definers.
 */
export function refWeight(uses: number, targets: number): number {
  return Math.sqrt(uses) / targets;
}
