/**
 * Content builders for the hostile-repository generator: streamed giant files (never held in memory),
 * pathological nesting, minified bundles, seeded random bytes and broken encodings.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const PIECE_BYTES = 1 << 20;

/** The token written on the last line of the giant file: finding it proves the file was read to its end. */
export const GIANT_TAIL_TOKEN = 'groveGiantTailSentinel';

/**
 * Writes `bytes` of C-like text lines (defines, calls, comments) in 1 MiB pieces, ending with a line that
 * holds GIANT_TAIL_TOKEN. Returns the exact size written.
 */
export function writeGiantText(file: string, bytes: number): number {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < PIECE_BYTES - 200; i++) {
    if (i % 7 === 0) lines.push(`#define REG_${i}_OFFSET 0x${(i * 4).toString(16)}`);
    else if (i % 5 === 0)
      lines.push(`/* block ${i}: nothing to see, just a long comment line ${'~'.repeat(i % 90)} */`);
    else lines.push(`\tvalue_${i % 97} = compute_step(value_${(i + 1) % 97}, ${i}); // step ${i}`);
    length += lines.at(-1)!.length + 1;
  }
  const piece = Buffer.from(`${lines.join('\n')}\n`);
  const tail = Buffer.from(`int ${GIANT_TAIL_TOKEN} = 1;\n`);
  const fd = openSync(file, 'w');
  try {
    let written = 0;
    while (written + piece.length + tail.length <= bytes) written += writeSync(fd, piece);
    const rest = bytes - written - tail.length;
    if (rest > 0) written += writeSync(fd, Buffer.alloc(rest, '\n'.charCodeAt(0)));
    written += writeSync(fd, tail);
    return written;
  } finally {
    closeSync(fd);
  }
}

/** Nested syntax `depth` levels deep, in the brackets each language nests with. */
export function deepSyntax(language: 'c' | 'js' | 'py' | 'json' | 'rs', depth: number): string {
  switch (language) {
    case 'c':
      return `int deep(void) {\n${'{'.repeat(depth)}return 1;${'}'.repeat(depth)}\n}\nint x = ${'('.repeat(depth)}1${')'.repeat(depth)};\n`;
    case 'js':
      return `const deep = ${'['.repeat(depth)}${']'.repeat(depth)};\nconst f = ${'(() => '.repeat(depth)}0${')'.repeat(depth)};\n`;
    case 'py':
      return `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n\ndef f():\n${Array.from({ length: Math.min(depth, 500) }, (_, i) => `${' '.repeat(i + 1)}if x:`).join('\n')}\n${' '.repeat(Math.min(depth, 500) + 1)}pass\n`;
    case 'json':
      return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}\n`;
    case 'rs':
      return `fn deep() -> i32 { ${'{ '.repeat(depth)}1${' }'.repeat(depth)} }\n`;
  }
}

/** A minified bundle: one long line of random but plausible JavaScript. */
export function minifiedBundle(bytes: number, random: () => number): string {
  const parts: string[] = ['!function(e,t){"use strict";'];
  let length = parts[0]!.length;
  for (let i = 0; length < bytes; i++) {
    const name = `_${Math.floor(random() * 1e6).toString(36)}`;
    const part =
      random() < 0.5
        ? `var ${name}=function(n){return n*${i}+${name.length}};`
        : `e.exports.${name}=t(${i},"${name}",[${i % 10},${(i * 7) % 13}]);`;
    parts.push(part);
    length += part.length;
  }
  parts.push('}(this,require);');
  return parts.join('');
}

/** Seeded random bytes: what a binary file behind a source extension looks like. */
export function randomBytes(length: number, random: () => number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** Broken and unusual encodings, each file name saying what it holds. */
export function encodingCases(random: () => number): Record<string, Buffer> {
  const ts = 'export const answer = 42;\nexport function greet(name: string) { return "hi " + name; }\n';
  const le = Buffer.from(ts, 'utf16le');
  const be = Buffer.from(le).swap16();
  return {
    'enc/utf16le-nobom.ts': le,
    'enc/utf16be-bom.ts': Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    'enc/utf16be-nobom.ts': be,
    'enc/utf16le-odd-length.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), le, Buffer.from([0x41])]),
    'enc/utf8-bom.py': Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('def f():\n    return 1\n'),
    ]),
    'enc/nul-in-text.c': Buffer.from('int a = 1;\n\0\0int b = 2;\nint c\0 = 3;\n'),
    'enc/lone-cr.js': Buffer.from('function a() {}\rfunction b() {}\rconst c = 1;\r'),
    'enc/mixed-eol.py': Buffer.from('def a():\r\n    return 1\rdef b():\n    return 2\r\n'),
    'enc/truncated-utf8.rs': Buffer.concat([Buffer.from('fn main() { let s = "'), Buffer.from([0xe6, 0x97])]),
    'enc/overlong-utf8.go': Buffer.concat([
      Buffer.from('package main\n// '),
      Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xed, 0xa0, 0x80]),
      Buffer.from('\nfunc main() {}\n'),
    ]),
    'enc/lone-surrogates.java': Buffer.from('class A { String s = "\ud800\udc00 \ud83c"; }\n', 'utf8'),
    'enc/random-1.c': randomBytes(4096, random),
    'enc/random-2.py': randomBytes(777, random),
    'enc/random-3.ts': randomBytes(65_536, random),
    'enc/control-bytes.js': Buffer.from(Array.from({ length: 2048 }, (_, i) => (i % 31) + 1)),
    'enc/almost-text.go': Buffer.concat([Buffer.from('package x\n'.repeat(50)), randomBytes(64, random)]),
  };
}
