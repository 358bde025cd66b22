/**
 * Code-aware terms for full-text search. The FTS tokenizer keeps whole identifiers (`kmalloc_array`,
 * `getusername`) as single tokens; this module supplies their parts (`kmalloc array`, `get user name`)
 * for a second FTS column so that a query for a part finds the whole identifier.
 *
 * It runs on every chunk of every file (measured ~100 MB/s on kernel C), so it is a hand-written
 * char-code scanner with a class table: no regex, no allocation for words without parts.
 */

/** Parts shorter than this are noise (`i` in `iCount`, `x` in `x_pos`) and would bloat the index. */
const MIN_PART_LENGTH = 2;

// Character classes of ASCII codes, looked up in a table because this is the hot loop of indexing.
const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const JOINER = 4; // `_` and `$`: part of an identifier, but separate its parts
const CLASS = new Uint8Array(128);
for (let c = 97; c <= 122; c++) CLASS[c] = LOWER;
for (let c = 65; c <= 90; c++) CLASS[c] = UPPER;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
CLASS[95] = JOINER;
CLASS[36] = JOINER;

const DOT = 46;
const DASH = 45;

/** Non-ASCII letters and digits (`é`, `ß`, `日`) are word characters without case boundaries. */
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;
/** Lazily filled class + 1 per BMP code (0 = not computed yet): code text is rarely non-ASCII. */
const BMP_CLASS = new Uint8Array(65536);

function classOf(code: number): number {
  if (code < 128) return CLASS[code] ?? OTHER;
  let cached = BMP_CLASS[code] ?? 0;
  if (cached === 0) {
    cached = 1 + (NON_ASCII_WORD.test(String.fromCharCode(code)) ? LOWER : OTHER);
    BMP_CLASS[code] = cached;
  }
  return cached - 1;
}

/**
 * Calls `emit` with each part of the identifier `text[start, end)`: runs of letters and digits split
 * at `_ $ . -` and at case changes (`userName` -> user|Name, `HTTPServer` -> HTTP|Server), lowercased,
 * skipping one-letter and all-digit parts and a part that is the whole identifier.
 */
function forEachPart(
  text: string,
  start: number,
  end: number,
  hasUpper: boolean,
  emit: (part: string) => void,
): void {
  let partStart = -1;
  for (let j = start; j <= end; j++) {
    const k = j < end ? classOf(text.charCodeAt(j)) : OTHER;
    let partEnd = -1;
    let nextStart = -1;
    if (k === OTHER || k === JOINER) {
      partEnd = j;
    } else if (partStart < 0) {
      partStart = j;
    } else if (k === UPPER) {
      const prev = classOf(text.charCodeAt(j - 1));
      if (prev === LOWER || prev === DIGIT) partEnd = nextStart = j;
    } else if (k === LOWER && j - 1 > partStart && classOf(text.charCodeAt(j - 1)) === UPPER) {
      partEnd = nextStart = j - 1; // the last capital of a run starts the next part
    }
    if (partEnd < 0) continue;
    if (
      partStart >= 0 &&
      partEnd - partStart >= MIN_PART_LENGTH &&
      !(partStart === start && partEnd === end)
    ) {
      let digits = true;
      for (let q = partStart; q < partEnd && digits; q++) digits = classOf(text.charCodeAt(q)) === DIGIT;
      if (!digits) {
        const raw = text.slice(partStart, partEnd);
        emit(hasUpper ? raw.toLowerCase() : raw);
      }
    }
    partStart = nextStart;
  }
}

/**
 * Returns the extra search terms of `text`: for each identifier-like token (camelCase, PascalCase,
 * snake_case, kebab-case, dotted paths) its lowercase parts, space separated, each part once per call,
 * leaving out parts equal to the whole token. `getUserName foo_bar.baz HTTPServer` gives
 * `get user name foo bar baz http server`.
 */
export function codeTerms(text: string): string {
  const seen = new Set<string>();
  let out = '';
  const emit = (part: string): void => {
    if (seen.has(part)) return;
    seen.add(part);
    out = out === '' ? part : `${out} ${part}`;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    let k = classOf(text.charCodeAt(i));
    if (k === OTHER) {
      i++;
      continue;
    }
    const start = i;
    let seenClasses = 0; // bit per class; a separator sets the JOINER bit
    for (;;) {
      seenClasses |= 1 << k;
      i++;
      if (i >= n) break;
      const c = text.charCodeAt(i);
      k = classOf(c);
      if (k !== OTHER) continue;
      // A dot or dash joins two words into one path (`os.path`, `foo-bar`); `a->b` and `x.` do not.
      if ((c === DOT || c === DASH) && i + 1 < n && classOf(text.charCodeAt(i + 1)) !== OTHER) {
        seenClasses |= 1 << JOINER;
        i++;
        k = classOf(text.charCodeAt(i));
        continue;
      }
      break;
    }
    const hasUpper = (seenClasses & (1 << UPPER)) !== 0;
    const camel = hasUpper && (seenClasses & (1 << LOWER)) !== 0;
    // Words without parts (most C tokens: keywords, short names, CONSTANTS) cost no allocation.
    if (!camel && (seenClasses & (1 << JOINER)) === 0) continue;
    if (classOf(text.charCodeAt(start)) === DIGIT) continue; // numbers: 0x1F, 3.14, 1e-9
    forEachPart(text, start, i, hasUpper, emit);
  }
  return out;
}

/** Whether the `.` or `-` at `at` joins two words into one path, as codeTerms decides it. */
function joinsAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return (
    (c === DOT || c === DASH) &&
    at > 0 &&
    at + 1 < text.length &&
    classOf(text.charCodeAt(at - 1)) !== OTHER &&
    classOf(text.charCodeAt(at + 1)) !== OTHER
  );
}

/**
 * The parts `codeTerms(text)` gives for the one word around `text[index]` (`[]` when it has none):
 * what a search needs to know whether a token is in a chunk's terms, without scanning the whole chunk.
 * A dot or dash joins words when both its neighbours are word characters, so scanning left from any
 * position finds the start codeTerms' left-to-right scan found.
 */
export function identifierPartsAt(text: string, index: number): string[] {
  if (index < 0 || index >= text.length || classOf(text.charCodeAt(index)) === OTHER) return [];
  let start = index;
  while (start > 0 && (classOf(text.charCodeAt(start - 1)) !== OTHER || joinsAt(text, start - 1))) start--;
  let end = index + 1;
  while (end < text.length && (classOf(text.charCodeAt(end)) !== OTHER || joinsAt(text, end))) end++;
  let seenClasses = 0;
  for (let i = start; i < end; i++) {
    const k = classOf(text.charCodeAt(i));
    seenClasses |= 1 << (k === OTHER ? JOINER : k); // a joining dot or dash counts as a separator
  }
  const hasUpper = (seenClasses & (1 << UPPER)) !== 0;
  const camel = hasUpper && (seenClasses & (1 << LOWER)) !== 0;
  if (!camel && (seenClasses & (1 << JOINER)) === 0) return [];
  if (classOf(text.charCodeAt(start)) === DIGIT) return [];
  const parts: string[] = [];
  forEachPart(text, start, end, hasUpper, (part) => parts.push(part));
  return parts;
}

/**
 * Splits one identifier into its lowercase parts, as `codeTerms` does, with duplicates:
 * `XMLHttpRequest` -> xml http request, `ext4_inode` -> ext4 inode, `os.path` -> os path.
 * A word that is a single part gives `[]`.
 */
export function splitIdentifier(word: string): string[] {
  const parts: string[] = [];
  forEachPart(word, 0, word.length, true, (part) => parts.push(part));
  return parts;
}
