import { describe, expect, it } from 'vitest';
import type { WalkEntry } from '../../../src/model.js';
import { type ClassifyOptions, classify, SNIFF_BYTES } from '../../../src/pipeline/stages/classify.js';

const options: ClassifyOptions = { maxFileSize: 1 << 20, hardCap: 64 << 20 };

/** Classifies `content` as the file `path`; `size` overrides the length (a head shorter than the file). */
function run(path: string, content: string | Uint8Array, size?: number) {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const entry: WalkEntry = {
    path,
    absPath: `/repo/${path}`,
    size: size ?? bytes.length,
    mtimeMs: 0,
    ino: 1,
    dev: 1,
  };
  return classify(entry, bytes.subarray(0, SNIFF_BYTES), options);
}

const utf16 = (text: string, encoding: 'le' | 'be', bom: boolean) => {
  const le = Buffer.from(text, 'utf16le');
  const body = encoding === 'le' ? le : Buffer.from(le).swap16();
  const mark = encoding === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), body]) : body;
};

describe('classify', () => {
  it('parses ordinary source of a parsable language', () => {
    expect(run('src/main.c', 'int main(void) { return 0; }\n')).toEqual({
      strategy: 'parse',
      language: 'c',
      reason: 'parsed',
      encoding: 'utf-8',
      bomBytes: 0,
    });
  });

  it('parses a .h file as C++ when its head shows C++, and as C otherwise', () => {
    const cppHeaders = [
      '#include "v8-local-handle.h"\n\nnamespace v8 {\n',
      '/* Array */\nclass V8_EXPORT Array : public Object {\n public:\n',
      'template <typename T>\nstruct Maybe;\n',
      '#pragma once\nusing namespace std;\n',
    ];
    for (const head of cppHeaders) expect(run('include/v8-array.h', head).language).toBe('cpp');
    const cHeaders = [
      '#ifdef __cplusplus\nextern "C" {\n#endif\nint uv_run(uv_loop_t *loop);\n',
      'struct class_info { int class; };\n/* a template <for> comments */\n',
    ];
    for (const head of cHeaders) expect(run('include/uv.h', head).language).toBe('c');
    // Only headers: a .c file is C whatever it holds.
    expect(run('src/odd.c', 'namespace v8 {\n').language).toBe('c');
  });

  it('keeps unknown or unparsable text as text with reason no-parser', () => {
    expect(run('README.md', '# Title\n\nSome words.\n')).toMatchObject({
      strategy: 'text',
      language: 'markdown',
      reason: 'no-parser',
    });
    expect(run('data.unknownext', 'plain words\n')).toMatchObject({
      strategy: 'text',
      language: null,
      reason: 'no-parser',
    });
  });

  it('skips anything over the hard cap unread', () => {
    expect(run('big.c', Buffer.alloc(0), options.hardCap + 1)).toMatchObject({
      strategy: 'skip',
      reason: 'too-large',
    });
  });

  it('streams a parsable file over maxFileSize as text', () => {
    expect(run('big.c', 'int x;\n', options.maxFileSize + 1)).toMatchObject({
      strategy: 'text',
      language: 'c',
      reason: 'too-large-to-parse',
    });
  });

  it('handles empty files: parse when parsable, else text', () => {
    expect(run('empty.js', '')).toMatchObject({ strategy: 'parse', language: 'javascript', reason: 'empty' });
    expect(run('empty.txt', '')).toMatchObject({ strategy: 'text', reason: 'empty' });
  });

  it('skips binary content by NUL bytes, whatever the extension', () => {
    expect(run('binary.c', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))).toMatchObject({
      strategy: 'skip',
      reason: 'binary',
      language: null,
    });
  });

  it('skips content that is mostly control bytes or invalid UTF-8 even without NULs', () => {
    const noise = Uint8Array.from({ length: 2048 }, (_, i) => 1 + ((i * 37) % 255));
    expect(run('noise.txt', noise)).toMatchObject({ strategy: 'skip', reason: 'binary' });
  });

  it('treats a binary extension as a hint: textual content stays text, slight mojibake does not', () => {
    expect(run('notes.dat', 'just words\n')).toMatchObject({ strategy: 'text', reason: 'no-parser' });
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n%'),
      Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
      Buffer.from('\n1 0 obj\n'),
    ]);
    expect(run('doc.pdf', pdf)).toMatchObject({ strategy: 'skip', reason: 'binary' });
    expect(run('doc.txt', pdf)).toMatchObject({ strategy: 'text' });
  });

  it('still parses a parsable file with some invalid UTF-8 (the decoder replaces it)', () => {
    const bytes = Buffer.concat([
      Buffer.from("def f():\n    return '"),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from("'\n"),
    ]);
    expect(run('invalid.py', bytes)).toMatchObject({
      strategy: 'parse',
      language: 'python',
      reason: 'parsed',
      encoding: 'utf-8',
    });
  });

  it('does not count a multibyte character cut by the end of the head as invalid', () => {
    // A binary extension makes one invalid byte decisive, which shows whether the cut byte counted.
    const cut = Buffer.from('abcé€').subarray(0, 6);
    expect(run('accents.dat', cut, 100)).toMatchObject({ strategy: 'text', reason: 'no-parser' });
    expect(run('accents.dat', cut)).toMatchObject({ strategy: 'skip', reason: 'binary' });
  });

  it('detects a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const a = 1;\n')]);
    expect(run('bom.ts', bytes)).toMatchObject({
      strategy: 'parse',
      language: 'typescript',
      encoding: 'utf-8',
      bomBytes: 3,
    });
  });

  it('detects UTF-16 LE and BE by BOM', () => {
    const code = 'export const x = 1;\nexport function f() {}\n';
    expect(run('le.ts', utf16(code, 'le', true))).toMatchObject({
      strategy: 'parse',
      encoding: 'utf-16le',
      bomBytes: 2,
    });
    expect(run('be.ts', utf16(code, 'be', true))).toMatchObject({
      strategy: 'parse',
      encoding: 'utf-16be',
      bomBytes: 2,
    });
  });

  it('detects BOM-less UTF-16 of mostly ASCII text instead of calling it binary', () => {
    const code = 'int main(void)\n{\n\treturn 0;\n}\n';
    expect(run('le.c', utf16(code, 'le', false))).toMatchObject({
      strategy: 'parse',
      encoding: 'utf-16le',
      bomBytes: 0,
    });
    expect(run('be.c', utf16(code, 'be', false))).toMatchObject({
      strategy: 'parse',
      encoding: 'utf-16be',
      bomBytes: 0,
    });
  });

  it('applies the minified and generated heuristics to UTF-16 text too', () => {
    const code = '// @generated by tool\nexport const x = 1;\n';
    expect(run('gen.ts', utf16(code, 'le', true))).toMatchObject({ strategy: 'text', reason: 'generated' });
  });

  it('recognises minified code by a long line, by average line length, or by name', () => {
    const longLine = `var a=${'1+'.repeat(3000)}1;\n`;
    expect(run('bundle.js', longLine)).toMatchObject({
      strategy: 'text',
      language: 'javascript',
      reason: 'minified',
    });
    const wide = `${`x(${'a,'.repeat(200)}b);\n`.repeat(15)}`;
    expect(run('wide.css', wide)).toMatchObject({ reason: 'minified' });
    expect(run('lib/app.min.js', 'var a = 1;\n')).toMatchObject({ reason: 'minified' });
    // A truncated head that is one unbroken line: the line is already longer than the limit.
    expect(run('big-line.min.js', 'a=1;'.repeat(SNIFF_BYTES / 4), 50 << 20)).toMatchObject({
      reason: 'minified',
    });
    // Long lines in a language minifiers do not emit are left to the parser.
    expect(run('table.c', `int t[] = {${'1,'.repeat(3000)}};\n`)).toMatchObject({ reason: 'parsed' });
  });

  it('recognises generated files by markers in the header', () => {
    for (const marker of [
      '// Code generated by protoc-gen-go. DO NOT EDIT.',
      '/* @generated */',
      '# Autogenerated file',
      '/* auto-generated */',
    ]) {
      expect(run('gen.go', `${marker}\npackage x\n`)).toMatchObject({
        strategy: 'text',
        language: 'go',
        reason: 'generated',
      });
    }
    const late = `${'// ordinary comment line\n'.repeat(200)}// DO NOT EDIT below\nint x;\n`;
    expect(run('late.c', late)).toMatchObject({ reason: 'parsed' });
  });

  it('keeps big headers that are nothing but #defines (register maps) as text', () => {
    const table = `/* register offsets */\n${Array.from({ length: 400 }, (_, i) => `#define mmREG_${i} 0x${i.toString(16)}\n`).join('')}`;
    expect(run('asic_reg/gc_9_0_offset.h', table, 64 * 1024)).toMatchObject({
      strategy: 'text',
      language: 'c',
      reason: 'macro-table',
    });
    // Small headers, and headers with real declarations between the macros, are still parsed. Under
    // 64 KiB a header opening with macros is parsed too: its structs may follow past the sniff.
    expect(run('small.h', table.slice(0, 2000), 2000)).toMatchObject({ reason: 'parsed' });
    expect(run('linux/ieee80211.h', table, 64 * 1024 - 1)).toMatchObject({ reason: 'parsed' });
    const mixed = table.replace(
      /(#define mmREG_\d*[05] .*\n)/g,
      '$1struct reg_block { int a; int b; };\nint reg_read(int offset);\n',
    );
    expect(run('mixed.h', mixed, 64 * 1024)).toMatchObject({ reason: 'parsed' });
  });

  it('parses a source file that opens with a table of #defines: its functions follow', () => {
    const table = `${Array.from({ length: 400 }, (_, i) => `#define REG_${i} 0x${i.toString(16)}\n`).join('')}`;
    expect(run('drivers/net/can/ifi_canfd.c', table, 64 * 1024)).toMatchObject({
      strategy: 'parse',
      language: 'c',
      reason: 'parsed',
    });
    expect(run('drivers/gpu/regs.cpp', table, 64 * 1024)).toMatchObject({ reason: 'parsed' });
    expect(run('drivers/gpu/regs.hpp', table, 64 * 1024)).toMatchObject({ reason: 'macro-table' });
  });

  it('keeps vendored code as text', () => {
    for (const path of [
      'node_modules/lib/index.js',
      'a/vendor/x.go',
      'third_party/z.c',
      'bower_components/b.js',
    ]) {
      expect(run(path, 'var a = 1;\n')).toMatchObject({ strategy: 'text', reason: 'vendored' });
    }
    expect(run('src/vendored.c', 'int x;\n')).toMatchObject({ reason: 'parsed' });
  });

  it('takes the language from a shebang when the name has no extension', () => {
    expect(run('bin/tool', '#!/usr/bin/env python3\nprint(1)\n')).toMatchObject({
      strategy: 'parse',
      language: 'python',
    });
    expect(run('bin/run', '#!/usr/bin/env node\nconsole.log(1)\n')).toMatchObject({
      strategy: 'parse',
      language: 'javascript',
    });
    expect(run('bin/sh', '#!/bin/sh\necho hi\n')).toMatchObject({
      strategy: 'text',
      language: 'shell',
      reason: 'no-parser',
    });
  });
});
