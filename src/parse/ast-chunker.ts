/**
 * Cuts a parsed file into search-sized chunks along its syntax tree. Every line of the file lands in
 * exactly one chunk, in order (only a line longer than the byte cap spans several chunks, cut by
 * bytes), whatever the tree looks like: broken code, 10k nested braces, one giant line.
 *
 * Shape: each definition of at least MIN_STANDALONE_LINES gets its own chunk; runs of small siblings
 * (includes, declarations, short functions) merge up to the cap; comments and blank lines join the code
 * after them (doc comments stay with their function). A node over the cap is split along its children:
 * a class into its members, a function body into statement groups.
 */
import type { Node } from 'web-tree-sitter';
import { MAX_CHUNK_BYTES, MAX_CHUNK_LINES, MIN_STANDALONE_LINES } from './chunk-limits.js';
import type { LineIndex } from './line-index.js';

/** Deeper than this we stop following the tree and cut by lines; keeps the JS stack small. */
const MAX_SPLIT_DEPTH = 48;

/**
 * Wrappers that hold whole files or sections (namespaces, `extern "C"`, `#ifdef` blocks, header guards):
 * always opened so that their functions and classes get chunks of their own even when all would fit.
 */
const TRANSPARENT_TYPES: ReadonlySet<string> = new Set([
  'namespace_definition',
  'linkage_specification',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
  'internal_module',
  'module',
  'mod_item',
]);

/** The `{ ... }` of a transparent wrapper (namespace, extern "C", mod, TS namespace). */
const WRAPPER_BODY_TYPES: ReadonlySet<string> = new Set(['declaration_list', 'statement_block']);

/** A chunk's line range; `final` ranges never merge with neighbours, `long` ones are one oversized line. */
export interface Span {
  startLine: number;
  endLine: number;
  final: boolean;
  def: boolean;
  long: boolean;
}

interface Item {
  s: number;
  e: number;
  nodes: Node[];
  comment: boolean;
}

/**
 * Line spans covering lines 1..lineCount. `isDefEnd(line)` says whether a definition ends on that
 * line, which is how a sibling is recognized as a definition.
 */
export function chunkSpans(root: Node, lines: LineIndex, isDefEnd: (line: number) => boolean): Span[] {
  if (lines.lineCount === 0) return [];
  const fits = (s: number, e: number) => e - s + 1 <= MAX_CHUNK_LINES && lines.bytes(s, e) <= MAX_CHUNK_BYTES;

  const windows = (s: number, e: number, out: Span[]) => {
    let start = s;
    for (let line = s; line <= e; line++) {
      if (lines.bytes(line, line) > MAX_CHUNK_BYTES) {
        if (start < line) out.push(span(start, line - 1, true, false));
        out.push(span(line, line, true, false, true));
        start = line + 1;
      } else if (!fits(start, line)) {
        out.push(span(start, line - 1, true, false));
        start = line;
      }
    }
    if (start <= e) out.push(span(start, e, true, false));
  };

  // `opened`: these children belong to a transparent wrapper, whose body (`{ ... }` starting on the
  // wrapper's first line) must be opened as well.
  const split = (children: Node[], s: number, e: number, depth: number, opened = false): Span[] => {
    const units: Span[] = [];
    let next = s;
    for (const item of itemsOf(children, s, e)) {
      // Comments are left unclaimed so that they join the code that follows them.
      if (item.comment) continue;
      const def = isDefEnd(item.e);
      const only = soleCode(item.nodes);
      const deep = item.s < item.e && depth < MAX_SPLIT_DEPTH;
      if (deep && only && TRANSPARENT_TYPES.has(only.type)) {
        units.push(...split(only.children, next, item.e, depth + 1, true));
      } else if (deep && opened && WRAPPER_BODY_TYPES.has(largest(item.nodes).type)) {
        units.push(...split(largest(item.nodes).children, next, item.e, depth + 1));
      } else if (fits(next, item.e)) {
        units.push(span(next, item.e, false, def));
      } else if (item.s > next && fits(item.s, item.e)) {
        if (fits(next, item.s - 1)) units.push(span(next, item.s - 1, false, false));
        else windows(next, item.s - 1, units);
        units.push(span(item.s, item.e, false, def));
      } else if (item.s === item.e || depth >= MAX_SPLIT_DEPTH) {
        windows(next, item.e, units);
      } else {
        units.push(...split(largest(item.nodes).children, next, item.e, depth + 1));
      }
      next = item.e + 1;
    }
    if (next <= e) {
      const last = units.at(-1);
      if (last && !last.long && fits(last.startLine, e)) last.endLine = e;
      else if (fits(next, e)) units.push(span(next, e, false, false));
      else windows(next, e, units);
    }
    return merge(units, fits);
  };

  return split(root.children, 1, lines.lineCount, 0);
}

function merge(units: Span[], fits: (s: number, e: number) => boolean): Span[] {
  const out: Span[] = [];
  let run: Span | null = null;
  // A run this small with no definition (a closing `}`, a `namespace x {` head) never stands alone.
  const isTiny = (span: Span) => !span.def && span.endLine - span.startLine < 2;
  const flush = (following: Span | null) => {
    if (!run) return;
    const prev = out.at(-1);
    if (isTiny(run) && following && !following.long && fits(run.startLine, following.endLine)) {
      following.startLine = run.startLine;
    } else if (isTiny(run) && prev && !prev.long && fits(prev.startLine, run.endLine)) {
      prev.endLine = run.endLine;
    } else {
      out.push(run);
    }
    run = null;
  };
  for (const unit of units) {
    const standalone = unit.final || (unit.def && unit.endLine - unit.startLine + 1 >= MIN_STANDALONE_LINES);
    if (standalone) {
      flush(unit);
      out.push(unit);
    } else if (run && fits(run.startLine, unit.endLine)) {
      run.endLine = unit.endLine;
      run.def ||= unit.def;
    } else {
      flush(null);
      run = { ...unit };
    }
  }
  flush(null);
  for (const unit of out) unit.final = true;
  return out;
}

/** Children as line ranges within s..e; children sharing a line merge into one item. */
function itemsOf(children: Node[], s: number, e: number): Item[] {
  const items: Item[] = [];
  for (const child of children) {
    const start = Math.max(s, child.startPosition.row + 1);
    const end = Math.min(e, nodeEndLine(child));
    if (end < start) continue;
    const last = items.at(-1);
    const comment = child.type.includes('comment');
    if (last && start <= last.e) {
      if (end > last.e) last.e = end;
      last.nodes.push(child);
      last.comment &&= comment;
    } else {
      items.push({ s: start, e: end, nodes: [child], comment });
    }
  }
  return items;
}

/** 1-based last line; a node ending at column 0 (one that swallowed its newline) ends on the line before. */
export function nodeEndLine(node: Node): number {
  const end = node.endPosition;
  const startRow = node.startPosition.row;
  return end.column === 0 && end.row > startRow ? end.row : end.row + 1;
}

/** The one node that is not a comment (a trailing `// namespace x` shares the closing line), if any. */
function soleCode(nodes: Node[]): Node | null {
  let sole: Node | null = null;
  for (const node of nodes) {
    if (node.type.includes('comment')) continue;
    if (sole) return null;
    sole = node;
  }
  return sole;
}

function largest(nodes: Node[]): Node {
  let best = nodes[0]!;
  for (const node of nodes)
    if (node.endIndex - node.startIndex > best.endIndex - best.startIndex) best = node;
  return best;
}

function span(startLine: number, endLine: number, final: boolean, def: boolean, long = false): Span {
  return { startLine, endLine, final, def, long };
}
