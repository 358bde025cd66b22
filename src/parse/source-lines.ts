/**
 * Line arithmetic the C rewrites share (conditional-branches.ts, conditional-else.ts, loop-macros.ts):
 * where a line ends, and whether a preprocessor line continues on the next.
 */

/** The offset of the line break ending the line that holds `from` (or the text's end). */
export function endOfLine(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end < 0 ? source.length : end;
}

/** Whether the line ending at `lineEnd` continues on the next (a backslash before its break). */
export function continues(source: string, lineEnd: number): boolean {
  const last = source[lineEnd - 1] === '\r' ? lineEnd - 2 : lineEnd - 1;
  return source[last] === '\\';
}
