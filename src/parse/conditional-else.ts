/**
 * C code that puts the `else` of an `if` inside a conditional group:
 *
 *     if (family == AF_INET) {
 *         ...
 *     }
 *     #if IS_ENABLED(CONFIG_IPV6)
 *     else if (family == AF_INET6) {
 *         ...
 *     }
 *     #endif
 *
 * tree-sitter parses the group as a unit, in which an `else` has no `if`: it reads the branch as a
 * function named `if` (70 made-up `if`, `else` and `for` functions on the kernel) and may nest the rest
 * of the file in it. A group that opens with `else` and has no `#else` or `#elif` loses its `#if` and
 * `#endif` lines (they become spaces, offsets and lines kept): the code reads as it compiles with the
 * option on.
 */
import { blankRanges } from './blank-text.js';
import { continues, endOfLine } from './source-lines.js';

const DIRECTIVE_NAME = /#[ \t]*(\w*)/y;
const OPENS_GROUP: ReadonlySet<string> = new Set(['if', 'ifdef', 'ifndef']);
const NEXT_BRANCH: ReadonlySet<string> = new Set(['elif', 'else', 'elifdef', 'elifndef']);
const OPENS_WITH_ELSE = /else\b/y;

interface OpenGroup {
  /** The `#if` directive's lines, [start, end). */
  open: [number, number];
  /** It opens with `else` and has had no other branch so far. */
  elseOnly: boolean;
}

/** `source` with the directives of conditional groups that only add an `else` branch blanked (same length). */
export function blankConditionsAroundElse(source: string): string {
  const open: OpenGroup[] = [];
  const blanked: Array<[number, number]> = [];
  // indexOf finds the few `#` far faster than a regular expression over every line start would.
  for (let at = source.indexOf('#'); at >= 0; at = source.indexOf('#', at + 1)) {
    const lineStart = source.lastIndexOf('\n', at - 1) + 1;
    if (!onlyBlanks(source, lineStart, at)) continue;
    DIRECTIVE_NAME.lastIndex = at;
    const name = DIRECTIVE_NAME.exec(source)?.[1] ?? '';
    let end = endOfLine(source, at);
    while (continues(source, end) && end < source.length) end = endOfLine(source, end + 1);
    if (OPENS_GROUP.has(name)) {
      open.push({ open: [lineStart, end], elseOnly: opensWithElse(source, end + 1) });
    } else if (NEXT_BRANCH.has(name)) {
      const group = open.at(-1);
      if (group) group.elseOnly = false;
    } else if (name === 'endif') {
      const group = open.pop();
      if (group?.elseOnly) blanked.push(group.open, [lineStart, end]);
    }
    at = end;
  }
  return blanked.length === 0 ? source : blankRanges(source, blanked);
}

function onlyBlanks(source: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (source[at] !== ' ' && source[at] !== '\t') return false;
  return true;
}

/** Whether the first code after `from` (blank lines skipped) is the keyword `else`. */
function opensWithElse(source: string, from: number): boolean {
  let at = from;
  while (source[at] === ' ' || source[at] === '\t' || source[at] === '\n' || source[at] === '\r') at++;
  OPENS_WITH_ELSE.lastIndex = at;
  return OPENS_WITH_ELSE.test(source);
}
