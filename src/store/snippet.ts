/**
 * A few numbered lines of a chunk around its best match, small enough to print many per screen.
 */

/** Lines in a snippet. */
export const SNIPPET_LINES = 8;
/** Characters kept per line: minified or generated lines can be megabytes long. */
const MAX_LINE_CHARS = 200;
/** Only the head of a chunk is scanned for the best line: chunks are capped, but be safe. */
const MAX_SCAN_CHARS = 64 * 1024;
/** Lines of context shown above the best-matching line. */
const CONTEXT_ABOVE = 2;

function clip(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  return trimmed.length > MAX_LINE_CHARS ? `${trimmed.slice(0, MAX_LINE_CHARS)}…` : trimmed;
}

/**
 * Returns up to SNIPPET_LINES lines of `text` (whose first line is `startLine`), each prefixed with
 * its line number (`42: ...`), starting a little above the line that contains the most needles.
 */
export function makeSnippet(text: string, startLine: number, needles: ReadonlyArray<string>): string {
  const lines = text.slice(0, MAX_SCAN_CHARS).split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let best = 0;
  let bestScore = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').toLowerCase();
    let score = 0;
    // Longer needles are more specific (a whole identifier beats one of its parts).
    for (const needle of needles) if (line.includes(needle)) score += needle.length;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  const first = Math.max(0, Math.min(best - CONTEXT_ABOVE, lines.length - SNIPPET_LINES));
  const shown = lines.slice(first, first + SNIPPET_LINES);
  return shown.map((line, i) => `${startLine + first + i}: ${clip(line)}`).join('\n');
}
