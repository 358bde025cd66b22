/**
 * Import resolution: which indexed files an import names. Per language, an import becomes candidate
 * paths (relative ones resolved against the importer) or path suffixes (include paths, module paths,
 * package directories: the build configuration that would say exactly where they live is not read, so
 * a suffix match picks the candidates closest to the importer). External modules resolve to nothing.
 */
import { basename, dirname, type PathIndex } from './path-index.js';

/** When a suffix matches several files equally close to the importer, keep at most this many. */
const MAX_EQUAL_MATCHES = 4;

const JS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_INDEXES = JS_EXTENSIONS.map((ext) => `/index${ext}`);
/** Rust paths into the standard library or the prelude name no file of the repository. */
const RUST_EXTERNAL = new Set(['std', 'core', 'alloc']);

/** Normalises `a/./b/../c` to `a/c`; null when the path climbs above the root. */
export function normalizePath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.pop() === undefined) return null;
    } else out.push(part);
  }
  return out.join('/');
}

function join(dir: string, rel: string): string | null {
  return normalizePath(dir === '' ? rel : `${dir}/${rel}`);
}

function firstExisting(index: PathIndex, candidates: Iterable<string | null>): number[] {
  for (const candidate of candidates) {
    if (candidate === null) continue;
    const id = index.idOf(candidate);
    if (id !== undefined) return [id];
  }
  return [];
}

function commonSegments(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** Files whose path is `suffix` or ends with `/suffix`, the ones sharing most directories with `from` first. */
export function closestBySuffix(index: PathIndex, suffix: string, from: string): number[] {
  const matches: { id: number; score: number }[] = [];
  for (const id of index.byBaseName(basename(suffix))) {
    const path = index.pathOf(id) ?? '';
    if (path === suffix || path.endsWith(`/${suffix}`))
      matches.push({ id, score: commonSegments(path, from) });
  }
  if (matches.length <= 1) return matches.map((m) => m.id);
  const best = Math.max(...matches.map((m) => m.score));
  return matches
    .filter((m) => m.score === best)
    .slice(0, MAX_EQUAL_MATCHES)
    .map((m) => m.id);
}

function firstSuffixMatch(index: PathIndex, suffixes: string[], from: string): number[] {
  for (const suffix of suffixes) {
    const found = closestBySuffix(index, suffix, from);
    if (found.length > 0) return found;
  }
  return [];
}

function resolveJs(index: PathIndex, dir: string, source: string): number[] {
  if (!source.startsWith('.')) return [];
  const base = join(dir, source);
  if (base === null) return [];
  // TypeScript's ESM convention imports `./x.js` for the source file `./x.ts`.
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  return firstExisting(index, [
    base,
    ...JS_EXTENSIONS.map((ext) => stem + ext),
    ...JS_INDEXES.map((ext) => base + ext),
  ]);
}

function resolvePython(index: PathIndex, importer: string, source: string): number[] {
  const dots = source.length - source.replace(/^\.+/, '').length;
  const modulePath = source.slice(dots).replaceAll('.', '/');
  if (dots > 0) {
    let dir = dirname(importer);
    for (let up = 1; up < dots; up++) dir = dirname(dir);
    if (modulePath === '') return firstExisting(index, [join(dir, '__init__.py')]);
    return firstExisting(index, [join(dir, `${modulePath}.py`), join(dir, `${modulePath}/__init__.py`)]);
  }
  return firstSuffixMatch(index, [`${modulePath}.py`, `${modulePath}/__init__.py`], importer);
}

function resolveC(index: PathIndex, importer: string, source: string): number[] {
  const local = firstExisting(index, [join(dirname(importer), source)]);
  if (local.length > 0) return local;
  const normalized = normalizePath(source);
  return normalized ? closestBySuffix(index, normalized, importer) : [];
}

function resolveGo(index: PathIndex, source: string): number[] {
  const segments = source.split('/');
  // The module prefix (github.com/org/repo) is not part of the directory: try the longest tail first.
  for (let start = 0; start < segments.length; start++) {
    const files = index.inDirectory(segments.slice(start).join('/'));
    const goFiles = files.filter((id) => {
      const path = index.pathOf(id) ?? '';
      return path.endsWith('.go') && !path.endsWith('_test.go');
    });
    if (goFiles.length > 0) return goFiles;
  }
  return [];
}

/** The .java files of the package directory `packagePath` under the closest ancestor of the importer holding it. */
function javaPackage(index: PathIndex, importer: string, packagePath: string): number[] {
  // Sources live under a root (src/main/java) that is an ancestor of the importer: try each ancestor.
  for (let dir = dirname(importer); ; dir = dirname(dir)) {
    const files = index
      .inDirectory(dir === '' ? packagePath : `${dir}/${packagePath}`)
      .filter((id) => index.pathOf(id)?.endsWith('.java'));
    if (files.length > 0 || dir === '') return files;
  }
}

function resolveJava(index: PathIndex, importer: string, source: string): number[] {
  const wildcard = source.endsWith('.*');
  const parts = source.split('.').filter((p) => p !== '*');
  if (wildcard) {
    // `a.b.*` imports a package (its directory); `static a.b.C.*` the members of the class C.
    const found = firstSuffixMatch(index, [`${parts.join('/')}.java`], importer);
    return found.length > 0 ? found : javaPackage(index, importer, parts.join('/'));
  }
  // `a.b.C`, or a static import `a.b.C.member`: the class file is the longest prefix that exists.
  const suffixes: string[] = [];
  for (let end = parts.length; end > 1; end--) suffixes.push(`${parts.slice(0, end).join('/')}.java`);
  return firstSuffixMatch(index, suffixes, importer);
}

function resolveRust(index: PathIndex, importer: string, source: string): number[] {
  const path = source.replace(/::\{.*$/, '').split('::');
  const head = path[0] ?? '';
  if (RUST_EXTERNAL.has(head)) return [];
  if (path.length === 1) {
    // `mod name;` declares a child module: name.rs or name/mod.rs next to the importer.
    const dir = dirname(importer);
    return firstExisting(index, [join(dir, `${head}.rs`), join(dir, `${head}/mod.rs`)]);
  }
  const segments = head === 'crate' || head === 'self' || head === 'super' ? path.slice(1) : path;
  const suffixes: string[] = [];
  for (let end = segments.length; end > 0; end--) {
    const module = segments.slice(0, end).join('/');
    suffixes.push(`${module}.rs`, `${module}/mod.rs`);
  }
  return firstSuffixMatch(index, suffixes, importer);
}

/** The files that the import `source` in the file `importer` (of `language`) names; [] when external. */
export function resolveImport(
  index: PathIndex,
  importer: string,
  language: string | null,
  source: string,
): number[] {
  const clean = source.trim().replace(/^["'<]|[">']$/g, '');
  if (clean === '') return [];
  switch (language) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return resolveJs(index, dirname(importer), clean);
    case 'python':
      return resolvePython(index, importer, clean);
    case 'c':
    case 'cpp':
      return resolveC(index, importer, clean);
    case 'go':
      return resolveGo(index, clean);
    case 'java':
      return resolveJava(index, importer, clean);
    case 'rust':
      return resolveRust(index, importer, clean);
    default:
      return [];
  }
}
