/**
 * Turns chunk spans into ChunkRecords: the text, and the symbol each chunk is about (the outermost
 * definition starting in it, else the innermost one it sits inside, e.g. one piece of a split class).
 */
import type { ChunkRecord, SymbolRecord } from '../model.js';
import type { Span } from './ast-chunker.js';
import { MAX_CHUNK_BYTES } from './chunk-limits.js';
import { cutByBytes } from './cut-line.js';
import type { LineIndex } from './line-index.js';

/** Kind of a chunk that holds no definition (includes, statements, comments). */
const PLAIN_KIND = 'code';

/** `symbols` must be sorted by startLine, outer before inner on ties (as `readMatches` returns them). */
export function labelChunks(spans: Span[], lines: LineIndex, symbols: SymbolRecord[]): ChunkRecord[] {
  const chunks: ChunkRecord[] = [];
  const open: SymbolRecord[] = [];
  let next = 0;
  for (const { startLine, endLine, long } of spans) {
    while (next < symbols.length && symbols[next]!.startLine < startLine) {
      const symbol = symbols[next++]!;
      while (open.length > 0 && open.at(-1)!.endLine < symbol.startLine) open.pop();
      open.push(symbol);
    }
    while (open.length > 0 && open.at(-1)!.endLine < startLine) open.pop();
    const starting = symbols[next];
    const main = starting && starting.startLine <= endLine ? starting : open.at(-1);
    const kind = main?.kind ?? PLAIN_KIND;
    const symbol = main?.name ?? null;
    const text = lines.text(startLine, endLine);
    if (!long) {
      chunks.push({ startLine, endLine, kind, symbol, text });
      continue;
    }
    for (const piece of cutByBytes(text, MAX_CHUNK_BYTES)) {
      chunks.push({ startLine, endLine, kind, symbol, text: piece });
    }
  }
  return chunks;
}
