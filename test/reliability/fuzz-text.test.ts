/**
 * Fuzzing the byte-level front of the pipeline, seeded and bounded (SCALE.fuzzIterations): the classifier
 * on random and mutated heads, the streaming decoder on random bytes cut at random read sizes, and the
 * line chunker and text-symbol scanner on random text in random pieces. No throw, and invariants hold.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChunkRecord, TextEncodingName, WalkEntry } from '../../src/model.js';
import { isParsable } from '../../src/parse/languages.js';
import { LineChunker } from '../../src/parse/line-chunker.js';
import { createTextSymbolScanner } from '../../src/parse/text-symbols.js';
import { classify, SNIFF_BYTES } from '../../src/pipeline/stages/classify.js';
import { streamText } from '../../src/pipeline/stages/read.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { expectChunkInvariants } from '../unit/parse/chunk-invariants.js';
import { between, fuzzSource, goldenSources, pick, randomBytes, tokenSoup } from './fuzz-inputs.js';
import { report, SCALE, SEED } from './scale.js';

const ITERATIONS = SCALE.fuzzIterations;
const NAMES = [
  'a.c',
  'b.h',
  'x.py',
  'y.ts',
  'z.tsx',
  'm.min.js',
  'g.go',
  'r.rs',
  'J.java',
  'README.md',
  'data.bin',
  'image.png',
  'noext',
  'vendor/lib.js',
  'weird.ÿ',
];
const REASONS = [
  'too-large',
  'empty',
  'binary',
  'vendored',
  'minified',
  'generated',
  'macro-table',
  'too-large-to-parse',
  'parsed',
  'no-parser',
];
const BOM_BYTES: Record<TextEncodingName, number[]> = {
  'utf-8': [0, 3],
  'utf-16le': [0, 2],
  'utf-16be': [0, 2],
};

const scratch = mkdtempSync(join(tmpdir(), 'grove-fuzz-text-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const entry = (path: string, size: number, absPath = `/repo/${path}`): WalkEntry => ({
  path,
  absPath,
  size,
  mtimeMs: 0,
  ino: 1,
  dev: 1,
});

function pieces(text: string, random: () => number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    const length = between(random, 1, pick(random, [3, 64, 4096, 70_000]));
    out.push(text.slice(at, at + length));
    at += length;
  }
  return out;
}

report('text fuzz', {
  iterations: ITERATIONS,
  targets: ['classify', 'streamText', 'LineChunker', 'TextSymbolScanner'],
});

describe(`fuzzing the classifier, decoder and text chunkers (${ITERATIONS} iterations each, seed ${SEED})`, () => {
  it('classify never throws and always answers a consistent verdict', () => {
    const random = seededRandom(SEED);
    const golden = [...goldenSources().values()].flat();
    const options = { maxFileSize: 1 << 20, hardCap: 64 << 20 };
    for (let i = 0; i < ITERATIONS; i++) {
      const roll = random();
      const head =
        roll < 0.4
          ? randomBytes(random, SNIFF_BYTES + 100)
          : Buffer.from(
              random() < 0.5 ? fuzzSource(random, golden) : tokenSoup(random, 400),
              pick(random, ['utf8', 'utf16le', 'latin1'] as const),
            );
      const sniffed = head.subarray(0, SNIFF_BYTES);
      const size = random() < 0.2 ? between(random, head.length, 200 << 20) : head.length;
      const name = pick(random, NAMES);
      const verdict = classify(entry(name, size), sniffed, options);
      const label = `iteration ${i}: ${name}, ${size} bytes`;
      expect(['parse', 'text', 'skip'], label).toContain(verdict.strategy);
      expect(REASONS, label).toContain(verdict.reason);
      expect(BOM_BYTES[verdict.encoding], label).toContain(verdict.bomBytes);
      if (verdict.strategy === 'parse') expect(isParsable(verdict.language), label).toBe(true);
      if (size > options.hardCap) expect(verdict.reason, label).toBe('too-large');
      if (size === 0) expect(verdict.reason, label).toBe('empty');
      // Deterministic: the incremental runs depend on the same bytes getting the same verdict.
      expect(classify(entry(name, size), sniffed, options), label).toEqual(verdict);
    }
  });

  it('the streaming decoder yields exactly what a whole-file decode does, whatever the read size', async () => {
    const random = seededRandom(SEED + 1);
    for (let i = 0; i < ITERATIONS; i++) {
      const bytes =
        random() < 0.5
          ? randomBytes(random, 20_000)
          : Buffer.from(tokenSoup(random, 1500), pick(random, ['utf8', 'utf16le'] as const));
      const encoding = pick(random, ['utf-8', 'utf-16le', 'utf-16be'] as const);
      const bomBytes = Math.min(pick(random, BOM_BYTES[encoding]), bytes.length);
      const file = join(scratch, `f${i}`);
      writeFileSync(file, bytes);
      let streamed = '';
      const chunkSize = between(random, 1, 5000);
      for await (const text of streamText(entry(`f${i}`, bytes.length, file), {
        encoding,
        bomBytes,
        chunkSize,
      }))
        streamed += text;
      const whole = new TextDecoder(encoding).decode(bytes.subarray(bomBytes));
      expect(streamed === whole, `iteration ${i}: ${encoding}, bom ${bomBytes}, reads of ${chunkSize}`).toBe(
        true,
      );
      rmSync(file);
    }
  });

  it('the line chunker and text-symbol scanner give the same, valid result however the text is cut', () => {
    const random = seededRandom(SEED + 2);
    const golden = [...goldenSources().values()].flat();
    for (let i = 0; i < ITERATIONS; i++) {
      let text = fuzzSource(random, golden);
      if (random() < 0.1) text += 'x'.repeat(between(random, 10_000, 200_000)); // one giant line
      const language = pick(random, ['c', 'cpp', 'javascript', 'typescript', 'markdown', null]);
      const limits = { maxLines: between(random, 1, 200), maxBytes: between(random, 16, 20_000) };
      const whole = new LineChunker(limits);
      const reference: ChunkRecord[] = [...whole.push(text), ...whole.end()];
      expectChunkInvariants(text, reference, limits);
      const cut = new LineChunker(limits);
      const parts = pieces(text, random);
      const chunks = [...parts.flatMap((part) => cut.push(part)), ...cut.end()];
      expect(chunks, `iteration ${i}: chunks depend on piece boundaries`).toEqual(reference);

      const once = createTextSymbolScanner(language);
      const symbols = [...once.push(text), ...once.end()];
      const scanner = createTextSymbolScanner(language);
      expect([...parts.flatMap((part) => scanner.push(part)), ...scanner.end()], `iteration ${i}`).toEqual(
        symbols,
      );
      const lines = text.split('\n').length;
      for (const symbol of symbols) {
        expect(symbol.startLine, `iteration ${i}: ${symbol.name}`).toBeGreaterThanOrEqual(1);
        expect(symbol.endLine).toBeLessThanOrEqual(lines);
        expect(symbol.name.length).toBeGreaterThan(0);
      }
    }
  });
});
