/**
 * Turns one file's query matches into symbols, references and imports. Capture names are the contract
 * with `queries/*.ts`: `@definition.<kind>` with `@name` and optional `@body` / `@parent`, `@scope` with
 * `@name` (a parent that is not itself a symbol, e.g. a Rust impl), `@reference.<kind>`, `@import`,
 * and `@import.package` with `@import.member` (the import of `package.member`).
 * Texts are sliced from the source we already hold rather than read back through the tree.
 */
import type { Node, QueryMatch } from 'web-tree-sitter';
import type { ImportRecord, RefRecord, SymbolRecord } from '../model.js';
import { annotatedHeadStart } from './annotation-macros.js';
import { nodeEndLine } from './ast-chunker.js';
import { collapse, signatureOf } from './signature.js';

/** Definitions whose name becomes the parent of definitions nested inside them. */
const PARENT_KINDS: ReadonlySet<string> = new Set([
  'class',
  'struct',
  'union',
  'enum',
  'interface',
  'trait',
  'namespace',
  'module',
  'record',
  'function',
  'method',
  'constructor',
  'impl',
]);

/** A function directly inside one of these is a method. */
const METHOD_HOSTS: ReadonlySet<string> = new Set([
  'class',
  'struct',
  'union',
  'interface',
  'trait',
  'impl',
  'record',
]);

/** Kinds that a more specific pattern on the same name overrides (`const f = () => {}` is a function). */
const GENERIC_KINDS: ReadonlySet<string> = new Set(['variable', 'constant']);

export interface MatchesRead {
  /** Sorted by start, outer definitions before the ones nested in them. */
  symbols: SymbolRecord[];
  refs: RefRecord[];
  imports: ImportRecord[];
  /** Last lines of definitions and scopes: what the chunker treats as a definition ending. */
  defEnds: number[];
}

interface Definition {
  symbol: SymbolRecord;
  start: number;
  end: number;
  /** A scope only names its children's parent; it is not reported as a symbol. */
  scope: boolean;
}

/**
 * `parsed` is the text the tree was parsed from when it differs from `source` with the same offsets
 * (C with its annotation macros blanked): signatures then take back the macros leading their line.
 */
export function readMatches(matches: QueryMatch[], source: string, parsed = source): MatchesRead {
  const definitions: Definition[] = [];
  const refs: RefRecord[] = [];
  const refStarts: number[] = [];
  // Name start -> index in `definitions`: one name node defines one symbol (see `preferred`).
  const byName = new Map<number, number>();
  const imports: ImportRecord[] = [];
  for (const match of matches) {
    let node: Node | null = null;
    let kind = '';
    let name: Node | null = null;
    let body: Node | null = null;
    let parent: Node | null = null;
    let importPackage: Node | null = null;
    let importMember: Node | null = null;
    for (const capture of match.captures) {
      const label = capture.name;
      if (label === 'name') name = capture.node;
      else if (label === 'body') body = capture.node;
      else if (label === 'parent') parent = capture.node;
      else if (label === 'import.package') importPackage = capture.node;
      else if (label === 'import.member') importMember = capture.node;
      else if (label === 'import') {
        const text = cleanImport(textOf(source, capture.node));
        if (text) imports.push({ source: text, line: capture.node.startPosition.row + 1 });
      } else if (label.startsWith('reference.')) {
        const ref = capture.node;
        const refName = textOf(source, ref);
        // Error recovery inserts zero-width MISSING nodes into broken code: a name nobody wrote.
        if (refName.trim() === '') continue;
        refs.push({ name: refName, kind: label.slice(10), line: ref.startPosition.row + 1 });
        refStarts.push(ref.startIndex);
      } else if (label.startsWith('definition.')) {
        node = capture.node;
        kind = label.slice(11);
      } else if (label === 'scope') {
        node = capture.node;
        kind = 'impl';
      }
    }
    if (importPackage !== null && importMember !== null) {
      const module = memberImport(textOf(source, importPackage), textOf(source, importMember));
      imports.push({ source: module, line: importMember.startPosition.row + 1 });
    }
    if (node === null || name === null) continue;
    const definition = define(node, kind, name, body, parent, source, parsed);
    // A MISSING name (broken code) or a bare `Foo::` qualifier names nothing: no symbol to record.
    if (definition.symbol.name === '') continue;
    const seen = byName.get(name.startIndex);
    if (seen === undefined) {
      byName.set(name.startIndex, definitions.length);
      definitions.push(definition);
    } else if (GENERIC_KINDS.has(definitions[seen]!.symbol.kind)) {
      definitions[seen] = definition;
    }
  }
  return {
    symbols: nest(definitions),
    defEnds: definitions.map((definition) => definition.symbol.endLine),
    refs: refs.filter((_, i) => !byName.has(refStarts[i]!)),
    imports,
  };
}

function define(
  node: Node,
  kind: string,
  nameNode: Node,
  body: Node | null,
  parentNode: Node | null,
  source: string,
  parsed: string,
): Definition {
  const start = node.startIndex;
  const end = node.endIndex;
  let name = collapse(textOf(source, nameNode));
  let parent = parentNode ? textOf(source, parentNode) : null;
  const scope = kind === 'impl';
  if (scope) name = stripGenerics(name);
  const qualifier = name.lastIndexOf('::');
  if (qualifier > 0 && !scope) {
    // C++ `void Foo::bar()` defined outside its class: the class is the parent.
    const scopes = stripGenerics(name.slice(0, qualifier)).split('::');
    parent = scopes.at(-1) ?? null;
    name = name.slice(qualifier + 2);
    if (kind === 'function') kind = 'method';
  }
  const symbol: SymbolRecord = {
    name,
    kind,
    signature: signatureOf(
      source,
      parsed === source ? start : annotatedHeadStart(source, parsed, start),
      body ? body.startIndex : end,
      body === null,
    ),
    startLine: node.startPosition.row + 1,
    endLine: nodeEndLine(node),
    parent,
  };
  return { symbol, start, end, scope };
}

/** Orders definitions and fills in each one's parent from the enclosing definition. */
function nest(definitions: Definition[]): SymbolRecord[] {
  definitions.sort((a, b) => a.start - b.start || b.end - a.end);
  const symbols: SymbolRecord[] = [];
  const stack: Definition[] = [];
  for (const definition of definitions) {
    while (stack.length > 0 && stack.at(-1)!.end <= definition.start) stack.pop();
    const host = stack.at(-1);
    const symbol = definition.symbol;
    if (host && symbol.parent === null) {
      symbol.parent = host.symbol.name;
      if (symbol.kind === 'function' && METHOD_HOSTS.has(host.symbol.kind)) symbol.kind = 'method';
    }
    if (PARENT_KINDS.has(symbol.kind)) stack.push(definition);
    if (!definition.scope) symbols.push(symbol);
  }
  return symbols;
}

function textOf(source: string, node: Node): string {
  return source.slice(node.startIndex, node.endIndex);
}

function stripGenerics(text: string): string {
  const angle = text.indexOf('<');
  return (angle === -1 ? text : text.slice(0, angle)).trim();
}

/** `from pkg import name` -> `pkg.name`; `from . import name` -> `.name`. */
function memberImport(pkg: string, member: string): string {
  return pkg.endsWith('.') ? `${pkg}${member}` : `${pkg}.${member}`;
}

/** `<stdio.h>`, `"./util"`, `import static a.B.*;` -> the module as written, without quoting. */
export function cleanImport(text: string): string {
  let value = collapse(text)
    .replace(/^import\s+/, '')
    .replace(/^static\s+/, '')
    .replace(/\s*;$/, '');
  const first = value[0];
  const last = value.at(-1);
  if (value.length >= 2 && ((first === '<' && last === '>') || (first === last && `"'\``.includes(first!)))) {
    value = value.slice(1, -1);
  }
  return value;
}
