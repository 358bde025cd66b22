/**
 * A definition's signature: its declaration head on one line, sliced from the source, for listings.
 */
/** Signatures are one line for listings; longer heads (giant parameter lists) are cut here. */
export const MAX_SIGNATURE_CHARS = 200;

/** The declaration head on one line: up to the body, or the first line when there is no body. */
export function signatureOf(source: string, start: number, end: number, firstLineOnly: boolean): string {
  let stop = Math.min(end, start + MAX_SIGNATURE_CHARS * 4);
  if (firstLineOnly) {
    const newline = source.indexOf('\n', start);
    if (newline !== -1 && newline < stop) stop = newline;
  }
  let head = collapse(source.slice(start, stop));
  if (firstLineOnly && TYPE_LITERAL_OPENS.test(head)) head = withFirstMember(head, source, stop);
  // A `{` opening a body on the same line, or a macro's `\` continuation, is not part of the head.
  else if (firstLineOnly && (head.endsWith('{') || head.endsWith('\\'))) head = head.slice(0, -1).trimEnd();
  return head.length > MAX_SIGNATURE_CHARS ? head.slice(0, MAX_SIGNATURE_CHARS) : head;
}

/** A head whose type is an object type opened on its line: `export const map: {` (TypeScript overloads). */
const TYPE_LITERAL_OPENS = /:\s*\{$/;

/** A member spread over more lines than this is left out (`… }` alone). */
const MAX_MEMBER_LINES = 24;

/**
 * `const map: {` says nothing of `map`; its first member does (the first overload of a "dual" API):
 * `const map: { <A, B>(f: (a: A) => B): (self: F<A>) => F<B> … }`. The member starts on the first line
 * after `from` outside comments and ends where its parameter list and type arguments are closed; a
 * member without a parameter list leaves the head as `const map: { … }`.
 */
function withFirstMember(head: string, source: string, from: number): string {
  let inComment = false;
  let member = '';
  let at = from;
  for (let lines = 0; at < source.length && lines < MAX_MEMBER_LINES; ) {
    const next = source.indexOf('\n', at + 1);
    const line = source.slice(at + 1, next === -1 ? source.length : next).trim();
    at = next === -1 ? source.length : next;
    if (inComment) {
      inComment = !line.includes('*/');
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*')) {
      inComment = !line.includes('*/');
      continue;
    }
    if (member === '' && line.startsWith('}')) break;
    member = member === '' ? line : `${member} ${line}`;
    lines++;
    if (memberEnds(member)) {
      return member.includes('(') ? `${head} ${collapse(member.replace(/[;,]$/, ''))} … }` : `${head} … }`;
    }
  }
  return `${head} … }`;
}

/** Whether `member` is whole: its brackets closed and not ending in something that continues it. */
function memberEnds(member: string): boolean {
  if (/(?:[(<,:|&=]|=>)$/.test(member)) return false;
  return balancedParentheses(member) && balancedAngles(member);
}

function balancedAngles(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<') depth++;
    else if (text[i] === '>' && text[i - 1] !== '=' && --depth < 0) return false;
  }
  return depth === 0;
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Whether every `(` in `text` is closed, and no `)` closes what was not opened. */
export function balancedParentheses(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
