/**
 * Cutting one over-long line (a minified bundle, a generated table) into pieces of at most `maxBytes`
 * UTF-8 bytes, never splitting a surrogate pair, so each piece is valid text on its own. Where a cut
 * falls depends only on the `maxBytes` code units after the previous cut, which is what lets the
 * streaming LineChunker cut a line it never holds whole exactly as `cutByBytes` cuts it whole.
 */

/** UTF-8 length of `text`. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** End (exclusive) of the piece starting at `start`: at most `maxBytes` bytes, at least one unit. */
export function nextCut(text: string, start: number, maxBytes: number): number {
  let end = Math.min(text.length, start + maxBytes);
  // A code unit takes 1 to 3 bytes, so shrink by at least a third of the excess until it fits.
  for (let over = utf8Length(text.slice(start, end)) - maxBytes; over > 0 && end > start + 1; ) {
    end = Math.max(start + 1, end - Math.ceil(over / 3));
    over = utf8Length(text.slice(start, end)) - maxBytes;
  }
  if (end < text.length && end > start + 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Splits `text` into consecutive pieces of at most `maxBytes` UTF-8 bytes each. */
export function cutByBytes(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; ) {
    const end = nextCut(text, start, maxBytes);
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
