/**
 * C code whose `#if` branches open a brace or parenthesis that another branch, or a later group, closes:
 *
 *     #ifdef CONFIG_PCI_MSI
 *         if (msix) { ... } else {
 *     #endif
 *             single_irq();
 *     #ifdef CONFIG_PCI_MSI
 *         }
 *     #endif
 *
 * tree-sitter parses each branch as a unit, so an unbalanced one becomes an error that can swallow the
 * rest of the file into one ERROR node (on the kernel's `.c` files: 4.1 MB of top-level errors, 2.4 MB of
 * them from such groups). Like ctags, grove then reads only the first branch of such a group: its
 * directive lines and its other branches become spaces (offsets and lines kept, as with the other
 * rewrites), and the code reads as one preprocessor configuration would compile it. Balanced groups are
 * left alone, so both sides of an ordinary `#ifdef`/`#else` keep their definitions.
 */
import { blankRanges } from './blank-text.js';
import { continues, endOfLine } from './source-lines.js';

interface Branch {
  /** Offset where the branch's code starts (after its directive) and ends (at the next directive). */
  from: number;
  to: number;
  braces: number;
  parens: number;
}

interface Group {
  /** Offset ranges of the group's directive lines, continuation lines included. */
  directives: Array<[number, number]>;
  branches: Branch[];
}

const OPENS_GROUP: ReadonlySet<string> = new Set(['if', 'ifdef', 'ifndef']);
const NEXT_BRANCH: ReadonlySet<string> = new Set(['elif', 'else', 'elifdef', 'elifndef']);
const DIRECTIVE_NAME = /#[ \t]*(\w*)/y;

/**
 * `source` with every conditional group that has an unbalanced branch reduced to its first branch (the
 * rest blanked, line breaks kept); `source` itself when there is none.
 */
export function keepFirstBranchWhereUnbalanced(source: string): string {
  const blanked: Array<[number, number]> = [];
  const groups: Group[] = [];
  const outside: Branch = { from: 0, to: 0, braces: 0, parens: 0 };
  const scanner = { inComment: false };
  let lineStart = 0;
  while (lineStart <= source.length) {
    const lineEnd = endOfLine(source, lineStart);
    const first = scanner.inComment ? lineStart : skipBlanks(source, lineStart, lineEnd);
    if (source[first] !== '#') {
      countCode(source, first, lineEnd, groups.at(-1)?.branches.at(-1) ?? outside, scanner);
      lineStart = lineEnd + 1;
      continue;
    }
    let directiveEnd = lineEnd;
    while (continues(source, directiveEnd) && directiveEnd < source.length) {
      directiveEnd = endOfLine(source, directiveEnd + 1);
    }
    // A comment opened on a directive line (`#endif /* CONFIG_X`) may close lines later.
    countCode(source, first + 1, directiveEnd, null, scanner);
    DIRECTIVE_NAME.lastIndex = first;
    const name = DIRECTIVE_NAME.exec(source)?.[1] ?? '';
    const open = groups.at(-1);
    if (OPENS_GROUP.has(name)) {
      groups.push({ directives: [[lineStart, directiveEnd]], branches: [branchAt(directiveEnd)] });
    } else if (open && NEXT_BRANCH.has(name)) {
      open.branches.at(-1)!.to = lineStart;
      open.directives.push([lineStart, directiveEnd]);
      open.branches.push(branchAt(directiveEnd));
    } else if (open && name === 'endif') {
      groups.pop();
      open.branches.at(-1)!.to = lineStart;
      open.directives.push([lineStart, directiveEnd]);
      if (open.branches.some((branch) => branch.braces !== 0 || branch.parens !== 0)) {
        blanked.push(
          ...open.directives,
          ...open.branches.slice(1).map((b): [number, number] => [b.from, b.to]),
        );
      }
      // What survives of the group is its first branch: the enclosing branch inherits its balance.
      const enclosing = groups.at(-1)?.branches.at(-1) ?? outside;
      enclosing.braces += open.branches[0]!.braces;
      enclosing.parens += open.branches[0]!.parens;
    }
    lineStart = directiveEnd + 1;
  }
  return blanked.length === 0 ? source : blankRanges(source, blanked);
}

function branchAt(from: number): Branch {
  return { from, to: from, braces: 0, parens: 0 };
}

function skipBlanks(source: string, from: number, to: number): number {
  let at = from;
  while (at < to && (source[at] === ' ' || source[at] === '\t')) at++;
  return at;
}

/**
 * Counts the braces and parentheses of code in [from, to) into `branch` (none when null), skipping
 * comments, string and character literals; a block comment left open carries over to the next line.
 */
function countCode(
  source: string,
  from: number,
  to: number,
  branch: Branch | null,
  scanner: { inComment: boolean },
): void {
  for (let at = from; at < to; at++) {
    const c = source.charCodeAt(at);
    if (scanner.inComment) {
      if (c === STAR && source.charCodeAt(at + 1) === SLASH) {
        scanner.inComment = false;
        at++;
      }
    } else if (c === SLASH && source.charCodeAt(at + 1) === STAR) {
      scanner.inComment = true;
      at++;
    } else if (c === SLASH && source.charCodeAt(at + 1) === SLASH) {
      return;
    } else if (c === QUOTE || c === APOSTROPHE) {
      at = endOfLiteral(source, at, to, c);
    } else if (branch !== null) {
      if (c === OPEN_BRACE) branch.braces++;
      else if (c === CLOSE_BRACE) branch.braces--;
      else if (c === OPEN_PAREN) branch.parens++;
      else if (c === CLOSE_PAREN) branch.parens--;
    }
  }
}

/** The offset of the quote closing the literal opened at `at` (or the line's end: none on this line). */
function endOfLiteral(source: string, at: number, to: number, quote: number): number {
  let end = at + 1;
  while (end < to && source.charCodeAt(end) !== quote) end += source.charCodeAt(end) === BACKSLASH ? 2 : 1;
  return end;
}

const SLASH = 0x2f;
const STAR = 0x2a;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
