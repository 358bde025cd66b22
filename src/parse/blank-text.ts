/**
 * The one way grove's parse rewrites remove text: every character but line breaks becomes a space, so
 * offsets and line numbers in the rewritten text are those of the original (annotation-macros.ts,
 * file-scope-macro-calls.ts, conditional-branches.ts).
 */

/** Spaces as long as `text`, keeping its line breaks. */
export function blankText(text: string): string {
  return text.includes('\n') ? text.replace(/[^\r\n]/g, ' ') : ' '.repeat(text.length);
}
