/**
 * C code iterates with macros that expand to a `for` header: `list_for_each_entry(pos, head, member)`,
 * `for_each_possible_cpu(cpu)`. With braces after them, tree-sitter reads a call and a block. Without
 * braces it reads `for_each_cpu(cpu, mask)\n\t\tdo_it(cpu);` as two words of a declaration: it makes
 * up a type reference and sometimes a whole nested function, whose end it never finds (on the kernel,
 * `set_skip_buddy` in `kernel/sched/fair.c` held the next ~5,000 lines). There are 5,970 such loops in
 * the kernel's C.
 *
 * A line that is only an indented call, with no `;` or `{` after it, followed by a line indented deeper,
 * is such a loop: the first indentation character of its body line becomes `,`, so the two read as one
 * expression statement (`for_each_cpu(cpu, mask), do_it(cpu);`), which stays the one statement of an
 * enclosing brace-less `if`. A body that opens with a keyword (`if`, `return`, another statement) cannot
 * follow a comma; it gets `;` instead. Every offset and line stays where it was, as with the other
 * rewrites (annotation-macros.ts).
 *
 * Other loops are a `do` block closed by a macro instead of `while`: `do { ... } while_each_thread(g, t);`.
 * tree-sitter cannot end that `do`, and its recovery from the error can reach far: a change anywhere
 * later in `kernel/cgroup/cgroup.c` made it swallow the 1,700 lines after `cgroup_attach_task`. Such a
 * `do` becomes spaces, which leaves a block and a call.
 */
import { blankText } from './blank-text.js';
import { balancedParentheses } from './signature.js';
import { endOfLine } from './source-lines.js';

/** A whole line that is one indented call: group 1 is the indentation, 2 the name, 3 the arguments. */
const CALL_LINE = /^([ \t]+)([A-Za-z_]\w*)[ \t]*\((.*)\)$/;

/** Words that open a line like a call but are C syntax, not a loop macro. */
const NOT_LOOP_MACROS = new Set([
  'if',
  'while',
  'for',
  'switch',
  'return',
  'sizeof',
  'typeof',
  '__typeof__',
  'defined',
  '_Generic',
  '__attribute__',
  'asm',
  '__asm__',
  'alignof',
  '_Alignof',
]);

/** Statements that start with a keyword: they cannot follow the comma of an expression. */
const KEYWORD_STATEMENT = /^(?:if|for|while|do|switch|return|break|continue|goto|else|case|default)\b/;

/** A body line starts a statement: a name, a dereference or a parenthesis (not `{`, an operator, a comment). */
const STATEMENT_START = /[A-Za-z_*(]/;
/**
 * Words that continue a C++ function declarator on the next line (`iter_swap(const I& x, const I& y)`
 * then `noexcept(...)` or `requires C`): that call-like line is a declaration, not a loop.
 */
const DECLARATOR_CONTINUATION =
  /^(?:noexcept|requires|const|volatile|override|final|throw|try|mutable|constexpr|__attribute__)\b/;

/** `source` with the loop macros tree-sitter cannot read made readable (same length). */
export function rewriteLoopMacros(source: string): string {
  return blankDoClosedByMacro(endBraceLessLoopMacros(source));
}

/** `source` with the body lines of brace-less loop macros joined to their macro (same length). */
function endBraceLessLoopMacros(source: string): string {
  let rewritten: string[] | null = null;
  let copied = 0;
  // A loop macro's line ends with `)`: indexOf finds those several times faster than a regular
  // expression over whole lines would (the kernel's drivers/net: ~30 ms against ~250 ms for 95 MB).
  const lineEnd = source.includes('\r\n') ? ')\r\n' : ')\n';
  for (let close = source.indexOf(lineEnd); close >= 0; close = source.indexOf(lineEnd, close + 1)) {
    const bodyStart = close + lineEnd.length;
    if (source[bodyStart] !== ' ' && source[bodyStart] !== '\t') continue;
    const lineStart = source.lastIndexOf('\n', close) + 1;
    const call = CALL_LINE.exec(source.slice(lineStart, close + 1));
    if (call === null) continue;
    const [, indent = '', name = '', args = ''] = call;
    if (NOT_LOOP_MACROS.has(name) || !balancedParentheses(args) || !deeper(source, bodyStart, indent))
      continue;
    const body = bodyLineAfterIndent(source, bodyStart);
    if (!STATEMENT_START.test(body.charAt(0)) || DECLARATOR_CONTINUATION.test(body)) continue;
    rewritten ??= [];
    rewritten.push(source.slice(copied, bodyStart), KEYWORD_STATEMENT.test(body) ? ';' : ',');
    copied = bodyStart + 1;
  }
  if (rewritten === null) return source;
  rewritten.push(source.slice(copied));
  return rewritten.join('');
}

/** Whether the line at `lineStart` is indented deeper than `indent`: it starts with it, then more. */
function deeper(source: string, lineStart: number, indent: string): boolean {
  const next = source[lineStart + indent.length];
  return source.startsWith(indent, lineStart) && (next === ' ' || next === '\t');
}

/** The start of the line at `lineStart` without its indentation (enough of it to see the first word). */
function bodyLineAfterIndent(source: string, lineStart: number): string {
  let i = lineStart;
  while (source[i] === ' ' || source[i] === '\t') i++;
  return source.slice(i, i + 16);
}

/** After a block's `}`: a name other than `while`, then `(`. */
const CLOSED_BY_MACRO = /^[ \t]*(?!while\b)[A-Za-z_]\w*[ \t]*\(/;
const DO_BLANKED = blankText('do');
const WORD_CHAR = /\w/;

/** `source` with the `do` of blocks that a macro closes replaced by spaces (same length). */
function blankDoClosedByMacro(source: string): string {
  let rewritten: string[] | null = null;
  let copied = 0;
  // indexOf finds the rare `do` several times faster than a regular expression with `\b` would.
  for (let at = source.indexOf('do'); at >= 0; at = source.indexOf('do', at + 2)) {
    const open = doBlockBrace(source, at);
    if (open < 0) continue;
    const close = matchingBrace(source, open);
    if (close < 0 || !CLOSED_BY_MACRO.test(source.slice(close + 1, close + 81))) continue;
    rewritten ??= [];
    rewritten.push(source.slice(copied, at), DO_BLANKED);
    copied = at + 2;
  }
  if (rewritten === null) return source;
  rewritten.push(source.slice(copied));
  return rewritten.join('');
}

/** The offset of the `{` after the keyword `do` at `at` (spaces between), or -1 when it is not one. */
function doBlockBrace(source: string, at: number): number {
  if (at > 0 && WORD_CHAR.test(source.charAt(at - 1))) return -1;
  let next = at + 2;
  while (source[next] === ' ' || source[next] === '\t') next++;
  return source[next] === '{' ? next : -1;
}

/** A block longer than this is not looked at (a `do` closed by a macro spans a few lines). */
const MAX_DO_BLOCK_CHARS = 20_000;

/**
 * The offset of the `}` closing the `{` at `open`, skipping comments and literals; -1 when it is not
 * within MAX_DO_BLOCK_CHARS.
 */
function matchingBrace(source: string, open: number): number {
  const end = Math.min(source.length, open + MAX_DO_BLOCK_CHARS);
  let depth = 0;
  for (let at = open; at < end; at++) {
    const c = source[at];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return at;
    else if (c === '/' && source[at + 1] === '/') at = endOfLine(source, at);
    else if (c === '/' && source[at + 1] === '*') at = commentEnd(source, at);
    else if (c === '"' || c === "'") at = literalEnd(source, at);
  }
  return -1;
}

function commentEnd(source: string, at: number): number {
  const end = source.indexOf('*/', at + 2);
  return end < 0 ? source.length : end + 1;
}

/** The closing quote of the literal opened at `at`, or the line's end when it is not closed on its line. */
function literalEnd(source: string, at: number): number {
  const quote = source[at];
  let end = at + 1;
  while (end < source.length && source[end] !== quote && source[end] !== '\n') {
    end += source[end] === '\\' ? 2 : 1;
  }
  return end;
}
