/**
 * The one way grove's parse rewrites remove text: every character but line breaks becomes a space, so
 * offsets and line numbers in the rewritten text are those of the original (annotation-macros.ts,
 * file-scope-macro-calls.ts, conditional-branches.ts, conditional-else.ts, loop-macros.ts).
 */

/** Spaces as long as `text`, keeping its line breaks. */
export function blankText(text: string): string {
  return text.includes('\n') ? text.replace(/[^\r\n]/g, ' ') : ' '.repeat(text.length);
}

/** `source` with each [from, to) range blanked (`blankText`); overlapping ranges are fine. */
export function blankRanges(source: string, ranges: Array<[number, number]>): string {
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let kept = 0;
  for (const [from, to] of ranges) {
    if (to <= kept) continue;
    const start = Math.max(from, kept);
    parts.push(source.slice(kept, start), blankText(source.slice(start, to)));
    kept = to;
  }
  parts.push(source.slice(kept));
  return parts.join('');
}
