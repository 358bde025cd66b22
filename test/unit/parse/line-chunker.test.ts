/** LineChunker: invariants, and identical chunks however the text is cut into pieces. */
import { describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../../src/model.js';
import { LineChunker } from '../../../src/parse/line-chunker.js';
import { expectChunkInvariants, seededRandom } from './chunk-invariants.js';

function chunkAll(pieces: string[], options?: { maxLines?: number; maxBytes?: number }): ChunkRecord[] {
  const chunker = new LineChunker(options);
  return [...pieces.flatMap((piece) => chunker.push(piece)), ...chunker.end()];
}

function randomPieces(text: string, random: () => number, maxPiece: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    const length = 1 + Math.floor(random() * maxPiece);
    pieces.push(text.slice(at, at + length));
    at += length;
  }
  return pieces;
}

function sampleText(random: () => number): string {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const roll = random();
    if (roll < 0.01) lines.push('x'.repeat(20_000 + Math.floor(random() * 10_000)));
    else if (roll < 0.02) lines.push('日本語🙂'.repeat(2000));
    else if (roll < 0.1) lines.push('');
    else lines.push(`line ${i} ${'y'.repeat(Math.floor(random() * 120))}${random() < 0.2 ? '\r' : ''}`);
  }
  return lines.join('\n') + (random() < 0.5 ? '\n' : '');
}

describe('LineChunker', () => {
  it('keeps the invariants and yields text chunks', () => {
    const text = sampleText(seededRandom(1));
    const chunks = chunkAll([text]);
    expectChunkInvariants(text, chunks);
    expect(chunks.every((chunk) => chunk.kind === 'text' && chunk.symbol === null)).toBe(true);
  });

  it('yields the same chunks whatever the piece boundaries', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const random = seededRandom(seed);
      const text = sampleText(random);
      const whole = chunkAll([text]);
      expect(chunkAll(randomPieces(text, random, 7))).toEqual(whole);
      expect(chunkAll(randomPieces(text, random, 5000))).toEqual(whole);
      expect(chunkAll(randomPieces(text, random, 70_000))).toEqual(whole);
    }
  });

  it('cuts a line longer than maxBytes into pieces carrying its line number', () => {
    const line = 'ab'.repeat(50_000);
    const chunks = chunkAll(['first\n', line.slice(0, 33_333), line.slice(33_333), '\nlast'], {
      maxBytes: 1000,
    });
    expect(chunks[0]).toMatchObject({ startLine: 1, endLine: 1, text: 'first' });
    const pieces = chunks.slice(1, -1);
    expect(pieces).toHaveLength(100);
    expect(pieces.every((chunk) => chunk.startLine === 2 && chunk.endLine === 2)).toBe(true);
    expect(pieces.map((chunk) => chunk.text).join('')).toBe(line);
    expect(chunks.at(-1)).toMatchObject({ startLine: 3, endLine: 3, text: 'last' });
  });

  it('never splits a surrogate pair', () => {
    const text = '🙂'.repeat(10_000);
    const chunks = chunkAll(randomPieces(text, seededRandom(3), 999), { maxBytes: 1001 });
    for (const chunk of chunks) expect(chunk.text).toBe(Buffer.from(chunk.text, 'utf8').toString('utf8'));
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(text);
  });

  it('counts lines on \\n only: CRLF keeps its \\r, a lone CR does not end a line', () => {
    expect(chunkAll(['a\r\nb\r\n']).map((c) => [c.startLine, c.endLine, c.text])).toEqual([
      [1, 2, 'a\r\nb\r'],
    ]);
    expect(chunkAll(['a\rb\rc']).map((c) => [c.startLine, c.endLine, c.text])).toEqual([[1, 1, 'a\rb\rc']]);
  });

  it('respects maxLines and handles empty input and blank lines', () => {
    expect(chunkAll([])).toEqual([]);
    expect(chunkAll([''])).toEqual([]);
    expect(chunkAll(['\n']).map((c) => [c.startLine, c.endLine, c.text])).toEqual([[1, 1, '']]);
    const text = Array.from({ length: 25 }, (_, i) => `${i}`).join('\n');
    const chunks = chunkAll([text], { maxLines: 10 });
    expect(chunks.map((c) => [c.startLine, c.endLine])).toEqual([
      [1, 10],
      [11, 20],
      [21, 25],
    ]);
    expectChunkInvariants(text, chunks, { maxLines: 10, maxBytes: 6000 });
  });
});
