/** The chunk invariants every chunker must keep, checked against the source they came from. */
import { expect } from 'vitest';
import type { ChunkRecord } from '../../../src/model.js';
import { MAX_CHUNK_BYTES, MAX_CHUNK_LINES } from '../../../src/parse/chunk-limits.js';

/** Lines as grove counts them: split on `\n`, a final `\n` ends the last line, `""` has none. */
export function linesOf(source: string): string[] {
  if (source.length === 0) return [];
  const lines = source.split('\n');
  if (source.endsWith('\n')) lines.pop();
  return lines;
}

/**
 * In order, non-overlapping, every line exactly once, text equal to the source lines; a line over
 * the byte cap may span several consecutive chunks whose texts concatenate to the line.
 */
export function expectChunkInvariants(
  source: string,
  chunks: ChunkRecord[],
  limits = { maxLines: MAX_CHUNK_LINES, maxBytes: MAX_CHUNK_BYTES },
): void {
  const lines = linesOf(source);
  if (lines.length === 0) {
    expect(chunks).toEqual([]);
    return;
  }
  let nextLine = 1;
  let i = 0;
  while (i < chunks.length) {
    const chunk = chunks[i]!;
    expect(chunk.startLine, `chunk ${i} starts where the previous ended`).toBe(nextLine);
    expect(chunk.endLine).toBeGreaterThanOrEqual(chunk.startLine);
    const expected = lines.slice(chunk.startLine - 1, chunk.endLine).join('\n');
    if (chunk.text === expected) {
      expect(chunk.endLine - chunk.startLine + 1).toBeLessThanOrEqual(limits.maxLines);
      if (chunk.startLine !== chunk.endLine) {
        expect(Buffer.byteLength(chunk.text)).toBeLessThanOrEqual(limits.maxBytes);
      }
      i++;
    } else {
      // Pieces of one long line: same single line, each within the cap, together the whole line.
      expect(chunk.startLine, `chunk ${i} text differs from its lines`).toBe(chunk.endLine);
      let joined = '';
      while (i < chunks.length && chunks[i]!.startLine === chunk.startLine) {
        expect(chunks[i]!.endLine).toBe(chunk.startLine);
        expect(Buffer.byteLength(chunks[i]!.text)).toBeLessThanOrEqual(limits.maxBytes);
        joined += chunks[i]!.text;
        i++;
      }
      expect(joined === expected, `pieces of line ${chunk.startLine} rebuild it`).toBe(true);
    }
    nextLine = chunk.endLine + 1;
  }
  expect(nextLine - 1, 'the last chunk ends on the last line').toBe(lines.length);
}

/** Deterministic PRNG, so a failing random case can be replayed by its seed. */
export { seededRandom } from '../../helpers/seeded-random.js';
