/**
 * TypeScript that tree-sitter-typescript (0.23) cannot parse, rewritten before the parse into the same
 * code it can, without moving any offset or line break (names, signatures and chunks are still sliced
 * from the original text). Two shapes broke whole files: a parse error high up in a file turned its
 * top-level declarations into loose tokens, so none of its exports became symbols. In the Effect
 * library's sources that lost 1,200 of 9,840 exported names, most of them in its core modules.
 *
 * - Variance annotations on type parameters (`interface Effect<out A, in E>`, TypeScript 4.7): the
 *   grammar has no `in`/`out` modifier, so they are blanked.
 * - A generic call signature opening its line right after another member without a `;`, as in every
 *   overloaded ("dual") API: `{ <A>(f: F<A>): G<A>` then `<A>(self: S, f: F<A>): G<A> }`. The grammar
 *   reads the second `<` as the first one's type arguments; one space of the line's indentation becomes
 *   the `;` TypeScript infers there.
 * - An escaped backtick in a template literal type (`` `use \`Self\`` ``): the grammar ends the type
 *   there. Escaped backticks become spaces wherever they are; they can only be inside a string, a
 *   template, a regular expression or a comment, where spaces change nothing the extraction reads.
 */

/** `<out A`, `, in B extends C`, `in out D =`: a modifier, then the parameter's name and what follows it. */
const VARIANCE = /([<,]\s*)(in\s+out|in|out)(\s+)(?=[A-Za-z_$][\w$]*\s*(?:extends\b|=|,|>))/g;

/** An indented line opening with type parameters (`<A,`, `<A>`, `<const A extends`, `<` alone). */
const CALL_SIGNATURE_LINE = /^([ \t]+)(?=<\s*(?:const\s+)?[A-Za-z_$][\w$]*\s*(?:extends\b|=|,|>))/gm;

/** An escape: an escaped backslash is matched whole, so that `\\` before a closing backtick stays. */
const ESCAPE = /\\[\\`]/g;

/** What can end a member's type: a name, a closing bracket. */
const ENDS_A_TYPE = /[\w$>\])}]/;

export function rewriteTypeScript(source: string, tsx: boolean): string {
  let text = source
    .replace(ESCAPE, (found: string) => (found === '\\`' ? '  ' : found))
    .replace(
      VARIANCE,
      (_match, before: string, modifier: string, after: string) =>
        `${before}${modifier.replace(/\S/g, ' ')}${after}`,
    );
  // In TSX a line opening with `<` is usually an element, never a signature to separate.
  if (tsx) return text;
  text = text.replace(CALL_SIGNATURE_LINE, (indent: string, _group: string, offset: number) => {
    return endsAType(text, previousCodeIndex(text, offset)) ? `${indent.slice(0, -1)};` : indent;
  });
  return text;
}

/** Whether the character at `index` can end a member's type: not an arrow's `>` (a curried function). */
function endsAType(text: string, index: number): boolean {
  return index >= 0 && ENDS_A_TYPE.test(text[index]!) && !text.startsWith('=>', index - 1);
}

/** The index of the last character before `at` that is not whitespace or in a comment; -1 at the start. */
function previousCodeIndex(text: string, at: number): number {
  let i = at;
  for (;;) {
    while (i > 0 && /\s/.test(text[i - 1]!)) i--;
    if (i === 0) return -1;
    if (text.startsWith('*/', i - 2)) {
      const open = text.lastIndexOf('/*', i - 2);
      if (open < 0) return i - 1;
      i = open;
      continue;
    }
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    const comment = lineCommentStart(text, lineStart, i);
    if (comment < 0) return i - 1;
    i = comment;
  }
}

/** Where a `//` comment starts on the line from `lineStart` to `end`, when the line opens with one. */
function lineCommentStart(text: string, lineStart: number, end: number): number {
  const line = text.slice(lineStart, end);
  const trimmed = line.trimStart();
  return trimmed.startsWith('//') ? lineStart + (line.length - trimmed.length) : -1;
}
