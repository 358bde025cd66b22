/**
 * Content sniffing for classify: byte order marks, BOM-less UTF-16, and whether the head is text at all.
 * One pass over at most `SNIFF_BYTES`, no decoding for the common UTF-8 case.
 */
import { isUtf8 } from 'node:buffer';
import type { TextEncodingName } from '../../model.js';

export type Sniff =
  | { binary: true }
  | {
      binary: false;
      encoding: TextEncodingName;
      bomBytes: number;
      /** The head as UTF-8 without its BOM (a view for UTF-8, transcoded for UTF-16), for text heuristics. */
      text: Buffer;
    };

/** Text has a few control characters at most (form feeds, ANSI colours); binary formats have many. */
const MAX_CONTROL_RATIO = 0.1;
/** Legacy 8-bit text (Latin-1 comments) is invalid UTF-8 in places; mostly invalid means it is not text. */
const MAX_INVALID_RATIO = 0.3;
/** With a binary extension the benefit of the doubt goes: a stray control byte or a little mojibake decides. */
const HINTED_MAX_INVALID_RATIO = 0.01;
/** Share of zero bytes in one column of byte pairs that marks BOM-less UTF-16 of mostly ASCII text. */
const UTF16_ZERO_COLUMN_RATIO = 0.4;

/** Looks at `head` (the file's first bytes; `truncated` when the file goes on). */
export function sniffBytes(head: Uint8Array, truncated: boolean, binaryHint: boolean): Sniff {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return sniffUtf8(bytes, 3, truncated, binaryHint, bytes.indexOf(0) !== -1);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    // FF FE 00 00 is the UTF-32 BOM: no decoder for it here, and it never holds source code in practice.
    if (bytes[2] === 0 && bytes[3] === 0) return { binary: true };
    return sniffUtf16(bytes, 'utf-16le', 2, binaryHint);
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return sniffUtf16(bytes, 'utf-16be', 2, binaryHint);
  // Without a zero byte it cannot be UTF-16 of ASCII text, and it is not binary by the NUL rule.
  if (bytes.indexOf(0) === -1) return sniffUtf8(bytes, 0, truncated, binaryHint, false);
  const guessed = guessUtf16(bytes);
  if (guessed) {
    const sniff = sniffUtf16(bytes, guessed, 0, binaryHint);
    if (!sniff.binary) return sniff;
  }
  return sniffUtf8(bytes, 0, truncated, binaryHint, true);
}

function sniffUtf8(
  bytes: Buffer,
  bomBytes: number,
  truncated: boolean,
  binaryHint: boolean,
  hasNul: boolean,
): Sniff {
  const text = bytes.subarray(bomBytes);
  if (hasNul) return { binary: true };
  // The common case, checked natively: valid UTF-8 and no control character in the first bytes. A
  // binary format that is valid UTF-8 without a single NUL in the whole head is rare enough that
  // sampling the controls is safe, and a full scan cost more than the rest of classify together.
  if (isValidUtf8(text, truncated) && !CONTROL.test(text.toString('latin1', 0, CONTROL_SAMPLE_BYTES))) {
    return { binary: false, encoding: 'utf-8', bomBytes, text };
  }
  let control = 0;
  let invalid = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const b = text[i]!;
    if (b < 0x80) {
      if (b === 0) return { binary: true };
      if (isControl(b)) control++;
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === -1) {
      invalid++;
      i++;
      continue;
    }
    if (i + need >= n) {
      // A sequence cut off by the end of a truncated head goes on in the rest of the file: not an error.
      if (truncated && continuationsUpTo(text, i + 1, n)) break;
      invalid++;
      i++;
    } else if (continuationsUpTo(text, i + 1, i + 1 + need)) {
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  if (isBinary(control, invalid, n, binaryHint)) return { binary: true };
  return { binary: false, encoding: 'utf-8', bomBytes, text };
}

function sniffUtf16(
  bytes: Buffer,
  encoding: 'utf-16le' | 'utf-16be',
  bomBytes: number,
  binaryHint: boolean,
): Sniff {
  // Whole code units only: a head cut mid-unit would decode its last byte as garbage.
  const end = bomBytes + ((bytes.length - bomBytes) & ~1);
  const decoded = new TextDecoder(encoding).decode(bytes.subarray(bomBytes, end));
  let control = 0;
  let invalid = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c === 0) return { binary: true };
    if (c < 0x80 && isControl(c)) control++;
    else if (c === 0xfffd) invalid++;
  }
  if (isBinary(control, invalid, decoded.length, binaryHint)) return { binary: true };
  return { binary: false, encoding, bomBytes, text: Buffer.from(decoded, 'utf8') };
}

/** BOM-less UTF-16 of mostly-ASCII text has a zero in one column of each byte pair and almost none in the other. */
function guessUtf16(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = bytes.length >> 1;
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const many = pairs * UTF16_ZERO_COLUMN_RATIO;
  const few = pairs * 0.05;
  if (oddZeros >= many && evenZeros <= few) return 'utf-16le';
  if (evenZeros >= many && oddZeros <= few) return 'utf-16be';
  return null;
}

function continuationsUpTo(text: Buffer, from: number, to: number): boolean {
  for (let j = from; j < to; j++) if ((text[j]! & 0xc0) !== 0x80) return false;
  return true;
}

/** Valid UTF-8, allowing a sequence cut off by the end of a truncated head. */
function isValidUtf8(text: Buffer, truncated: boolean): boolean {
  if (isUtf8(text)) return true;
  if (!truncated) return false;
  // Drop a trailing partial sequence (at most 3 bytes: a lead byte and up to 2 continuations).
  let end = text.length;
  while (end > 0 && text.length - end < 3 && (text[end - 1]! & 0xc0) === 0x80) end--;
  if (end > 0 && text[end - 1]! >= 0xc0) end--;
  return isUtf8(text.subarray(0, end));
}

/** The control characters `isControl` counts, for a native scan of a latin1 view of the bytes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]/;
const CONTROL_SAMPLE_BYTES = 1024;

/** C0 controls and DEL, except the whitespace ones and ESC (terminal colours in logs and fixtures). */
function isControl(b: number): boolean {
  return (
    (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) ||
    b === 0x7f
  );
}

function isBinary(control: number, invalid: number, length: number, binaryHint: boolean): boolean {
  if (length === 0) return false;
  if (binaryHint) return control > 0 || invalid > length * HINTED_MAX_INVALID_RATIO;
  return control > length * MAX_CONTROL_RATIO || invalid > length * MAX_INVALID_RATIO;
}
