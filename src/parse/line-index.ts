/**
 * Line geometry of one source text. Lines are split on `\n` only (as tree-sitter counts rows); a `\r`
 * before it stays part of the line's text. A trailing `\n` ends the last line rather than starting an
 * empty one, so `"a\nb\n"` has 2 lines and `""` has none.
 */
import { utf8Length } from './cut-line.js';

export interface LineIndex {
  readonly lineCount: number;
  /** UTF-8 bytes of lines `first..last` (1-based, inclusive), newlines included. */
  bytes(first: number, last: number): number;
  /** The text of lines `first..last`, without the final line's newline. */
  text(first: number, last: number): string;
}

export function createLineIndex(source: string): LineIndex {
  // starts[i] = offset (UTF-16 units) where line i+1 begins; starts[lineCount] = end sentinel.
  const starts: number[] = [0];
  for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) starts.push(at + 1);
  const endsWithNewline = source.length > 0 && source.charCodeAt(source.length - 1) === 10;
  if (!endsWithNewline) starts.push(source.length + 1);
  const lineCount = source.length === 0 ? 0 : starts.length - 1;
  // Byte offsets equal UTF-16 offsets for ASCII text (most code); only other files pay for a table.
  const byteStarts = utf8Length(source) === source.length ? starts : utf8Starts(source, starts);
  return {
    lineCount,
    bytes: (first, last) => (byteStarts[last] ?? 0) - (byteStarts[first - 1] ?? 0),
    text: (first, last) => source.slice(starts[first - 1] ?? 0, (starts[last] ?? 0) - 1),
  };
}

function utf8Starts(source: string, starts: number[]): number[] {
  const result: number[] = [0];
  let total = 0;
  for (let i = 1; i < starts.length; i++) {
    const end = starts[i] ?? 0;
    // The sentinel past the end counts one byte, as in the ASCII table.
    total += utf8Length(source.slice(starts[i - 1], end)) + (end > source.length ? 1 : 0);
    result.push(total);
  }
  return result;
}
