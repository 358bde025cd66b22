/**
 * Symbols from files too big or too generated to parse (24 MB register headers, minified bundles):
 * one regex per line, tried only on lines whose first non-blank character could start a match.
 * Streaming like LineChunker; only the head of each line is kept, however long the line is.
 */
import type { Language, SymbolRecord } from '../model.js';
import { isCFamily } from './languages.js';
import { collapse, MAX_SIGNATURE_CHARS } from './signature.js';

/** Enough of a line to hold `export abstract class SomeLongName`; the rest is never looked at. */
const LINE_HEAD_CHARS = 512;

const C_DEFINE = /^\s*#\s*define\s+([A-Za-z_]\w*)/;
/** `struct name {`, `typedef union name {`: a definition whose body opens on its line. */
const C_AGGREGATE = /^\s*(?:typedef\s+)?(struct|union|enum)\s+([A-Za-z_]\w*)\s*\{/;
/** `static inline u32 reg_read(...)`: the functions of a header; a line ending in `;` is a prototype. */
const C_INLINE_FUNCTION =
  /^\s*static\s+(?:__always_inline|inline|__inline__|__inline)\b[^;=(]*?\b([A-Za-z_]\w*)\s*\(/;
const JS_EXPORT =
  /^\s*export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(function\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;

const JS_KINDS: Readonly<Record<string, string>> = {
  function: 'function',
  'function*': 'function',
  class: 'class',
  const: 'constant',
  let: 'variable',
  var: 'variable',
  interface: 'interface',
  type: 'type',
  enum: 'enum',
};

export interface TextSymbolScanner {
  /** Feeds the next piece of the file; returns the symbols found on the lines it completed. */
  push(text: string): SymbolRecord[];
  /** Ends the file; returns symbols on its last line. */
  end(): SymbolRecord[];
}

type LineScan = (head: string, line: number, out: SymbolRecord[]) => void;

export function createTextSymbolScanner(language: Language | null): TextSymbolScanner {
  const scan = scannerFor(language);
  let line = 1;
  let head = '';
  const finishLine = (out: SymbolRecord[]) => {
    if (scan) scan(head, line, out);
    head = '';
    line++;
  };
  return {
    push(text) {
      const out: SymbolRecord[] = [];
      let from = 0;
      // The head never grows past LINE_HEAD_CHARS, however the line is cut into pieces: a name longer
      // than that is cut at the same place whether the line arrived whole or in parts.
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
        if (scan && head.length < LINE_HEAD_CHARS)
          head += text.slice(from, Math.min(newline, from + LINE_HEAD_CHARS - head.length));
        finishLine(out);
        from = newline + 1;
      }
      if (scan && from < text.length && head.length < LINE_HEAD_CHARS) {
        head += text.slice(from, from + LINE_HEAD_CHARS - head.length);
      }
      return out;
    },
    end() {
      const out: SymbolRecord[] = [];
      if (head.length > 0) finishLine(out);
      return out;
    },
  };
}

function scannerFor(language: Language | null): LineScan | null {
  if (isCFamily(language)) return scanC;
  if (language === 'javascript' || language === 'typescript' || language === 'tsx') return scanExport;
  return null;
}

/**
 * Macros, and what a big header holds between them: structs, unions and enums opened on their line,
 * and static inline functions (the kernel's headers kept as text held ~4,800 of these). Lines are
 * told apart by their first character, so a register map's millions of `#define`s cost one regex each.
 */
function scanC(head: string, line: number, out: SymbolRecord[]): void {
  const first = firstNonBlank(head);
  if (first === '#') {
    const match = C_DEFINE.exec(head);
    if (match) out.push(symbol(match[1]!, 'macro', head, line));
  } else if (first === 's' || first === 't' || first === 'u' || first === 'e') {
    const aggregate = C_AGGREGATE.exec(head);
    if (aggregate) {
      out.push(symbol(aggregate[2]!, aggregate[1]!, head, line));
      return;
    }
    const inline = C_INLINE_FUNCTION.exec(head);
    if (inline && !head.trimEnd().endsWith(';')) out.push(symbol(inline[1]!, 'function', head, line));
  }
}

function scanExport(head: string, line: number, out: SymbolRecord[]): void {
  if (firstNonBlank(head) !== 'e') return;
  const match = JS_EXPORT.exec(head);
  if (match) out.push(symbol(match[2]!, JS_KINDS[match[1]!] ?? 'variable', head, line));
}

function firstNonBlank(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== ' ' && char !== '\t') return char;
  }
  return undefined;
}

function symbol(name: string, kind: string, head: string, line: number): SymbolRecord {
  // Cut like a parsed file's signatures: a huge `#define` too.
  const signature = collapse(head).slice(0, MAX_SIGNATURE_CHARS);
  return { name, kind, signature, startLine: line, endLine: line, parent: null };
}
