/**
 * The AST chunker's invariants (coverage, order, text) on the golden inputs and on hostile input:
 * random mutations, garbage, pathological nesting, giant lines, CRLF. Real grammars throughout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LanguageId } from '../../../src/model.js';
import { MAX_CHUNK_BYTES } from '../../../src/parse/chunk-limits.js';
import { createExtractor, type Extractor } from '../../../src/parse/extractor.js';
import { expectChunkInvariants, seededRandom } from './chunk-invariants.js';

const GOLDEN = join(import.meta.dirname, '../../golden');
const LANGUAGES: LanguageId[] = [
  'c',
  'cpp',
  'python',
  'javascript',
  'typescript',
  'tsx',
  'go',
  'rust',
  'java',
];

let extractor: Extractor;
beforeAll(async () => {
  extractor = await createExtractor();
});
afterAll(() => extractor.close());

function goldenInputs(): Array<[LanguageId, string, string]> {
  return LANGUAGES.flatMap((language) => {
    const dir = join(GOLDEN, language, 'input');
    return readdirSync(dir).map((file): [LanguageId, string, string] => [
      language,
      file,
      readFileSync(join(dir, file), 'utf8'),
    ]);
  });
}

async function expectValid(language: LanguageId, source: string): Promise<void> {
  const { chunks } = await extractor.extract(language, source);
  expectChunkInvariants(source, chunks);
}

/** Deletes, duplicates and swaps random line and byte ranges: broken but code-shaped text. */
function mutate(source: string, random: () => number): string {
  let text = source;
  for (let edits = 1 + Math.floor(random() * 6); edits > 0; edits--) {
    const at = Math.floor(random() * text.length);
    const length = Math.floor(random() * 200);
    const choice = random();
    if (choice < 0.4) text = text.slice(0, at) + text.slice(at + length);
    else if (choice < 0.7) text = text.slice(0, at) + text.slice(at, at + length).repeat(3) + text.slice(at);
    else text = `${text.slice(at)}\n${text.slice(0, at)}`;
  }
  return text;
}

describe('AST chunker', () => {
  it.each(goldenInputs())('keeps the invariants on golden %s/%s', async (language, _file, source) => {
    await expectValid(language, source);
  });

  it('keeps the invariants on the golden inputs with CRLF line ends', async () => {
    for (const [language, , source] of goldenInputs())
      await expectValid(language, source.replace(/\n/g, '\r\n'));
  });

  it('keeps the invariants on seeded random mutations of every golden input', async () => {
    const random = seededRandom(20240611);
    for (const [language, , source] of goldenInputs()) {
      for (let round = 0; round < 15; round++) await expectValid(language, mutate(source, random));
    }
  });

  it('keeps the invariants when the golden inputs are repeated past the chunk caps', async () => {
    for (const [language, , source] of goldenInputs()) {
      const big = `${language === 'python' ? 'class Big:\n' : 'namespace big {\n'}${source.repeat(4)}\n}\n`;
      await expectValid(language, big);
    }
  });

  it('splits an oversized function at statement boundaries', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `  total += step(${i});`).join('\n');
    const source = `int sum(void)\n{\n  int total = 0;\n${body}\n  return total;\n}\n`;
    const { chunks } = await extractor.extract('c', source);
    expectChunkInvariants(source, chunks);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((chunk) => chunk.symbol === 'sum')).toBe(true);
  });

  it('splits an oversized class into its members', async () => {
    const methods = Array.from(
      { length: 30 },
      (_, i) => `    def method_${i}(self):\n${'        self.x += 1\n'.repeat(8)}        return self.x\n`,
    ).join('\n');
    const source = `class Wide:\n    """Many methods."""\n\n${methods}`;
    const { chunks } = await extractor.extract('python', source);
    expectChunkInvariants(source, chunks);
    // The two-line class head joins the first method; every other method is a chunk of its own.
    expect(chunks[0]!.symbol).toBe('Wide');
    expect(chunks[0]!.text).toContain('def method_0');
    expect(chunks.slice(1).map((chunk) => chunk.symbol)).toEqual(
      Array.from({ length: 29 }, (_, i) => `method_${i + 1}`),
    );
  });

  it('survives garbage bytes decoded as text', async () => {
    const random = seededRandom(7);
    for (const language of LANGUAGES) {
      const bytes = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(random() * 256)));
      await expectValid(language, bytes.toString('utf8'));
      await expectValid(language, bytes.toString('latin1'));
    }
  });

  it('survives 10k nested parentheses and braces', async () => {
    const parens = `int f(void) { return ${'('.repeat(10_000)}1${')'.repeat(10_000)}; }\n`;
    const braces = `void g(void) ${'{\n'.repeat(10_000)}${'}\n'.repeat(10_000)}`;
    for (const source of [parens, braces]) await expectValid('c', source);
    await expectValid('javascript', `x = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`);
    await expectValid('python', `x = ${'('.repeat(5_000)}${')'.repeat(5_000)}\n`);
    const deepIfs = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i % 80)}if (a) {`).join('\n');
    await expectValid('java', `class A { void m() {\n${deepIfs}\n${'}\n'.repeat(3002)}`);
  });

  it('cuts a single line longer than the byte cap into pieces', async () => {
    const line = `var data = [${Array.from({ length: 5000 }, (_, i) => `"é${i}"`).join(',')}];`;
    const source = `// bundle\n${line}\nfunction after() { return 1; }\n`;
    const { chunks } = await extractor.extract('javascript', source);
    expectChunkInvariants(source, chunks);
    const pieces = chunks.filter((chunk) => chunk.startLine === 2 && chunk.endLine === 2);
    expect(pieces.length).toBeGreaterThan(Buffer.byteLength(line) / MAX_CHUNK_BYTES);
  });

  it('yields no chunks for an empty file and one chunk for a one-line file', async () => {
    expect((await extractor.extract('go', '')).chunks).toEqual([]);
    const { chunks } = await extractor.extract('go', 'package main');
    expect(chunks.map((c) => [c.startLine, c.endLine, c.text])).toEqual([[1, 1, 'package main']]);
  });

  it('chunks files with syntax errors', async () => {
    const source = 'int main( {\n  if (x { return; \n}\n}}}\nstruct { int a\n';
    await expectValid('c', source);
    await expectValid('rust', 'fn main( {\n let x = ;\n impl for {\n');
  });
});
