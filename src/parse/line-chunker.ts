/**
 * Line-window chunks for files we do not parse (text, huge generated sources). Streaming: text arrives
 * in pieces that may split lines anywhere, and the chunks do not depend on where. Lines are split on
 * `\n` (a `\r` stays in the text, as in the AST chunker); a line longer than `maxBytes` is cut into
 * several chunks carrying the same line number, and is never held whole: at most one piece plus
 * `maxBytes` code units of it are in memory.
 */
import type { ChunkRecord } from '../model.js';
import { MAX_CHUNK_BYTES, MAX_CHUNK_LINES } from './chunk-limits.js';
import { cutByBytes, nextCut, utf8Length } from './cut-line.js';

export interface LineChunkerOptions {
  maxLines?: number;
  maxBytes?: number;
}

export class LineChunker {
  readonly #maxLines: number;
  readonly #maxBytes: number;
  /** Number of the line being read. */
  #line = 1;
  /** The unfinished current line (its head already emitted when `#cutting`). */
  #partial = '';
  #cutting = false;
  /** Complete lines waiting to become a chunk, starting at `#start`; `#bytes` counts their newlines. */
  #lines: string[] = [];
  #start = 1;
  #bytes = 0;

  constructor(options: LineChunkerOptions = {}) {
    this.#maxLines = options.maxLines ?? MAX_CHUNK_LINES;
    this.#maxBytes = options.maxBytes ?? MAX_CHUNK_BYTES;
  }

  /** Feeds the next piece of the file; returns the chunks it completed. */
  push(text: string): ChunkRecord[] {
    const out: ChunkRecord[] = [];
    let from = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
      const piece = text.slice(from, newline);
      const line = this.#partial.length > 0 ? this.#partial + piece : piece;
      this.#partial = '';
      this.#endLine(line, out);
      from = newline + 1;
    }
    if (from < text.length) this.#appendPartial(text.slice(from), out);
    return out;
  }

  /** Ends the file; returns the remaining chunks. */
  end(): ChunkRecord[] {
    const out: ChunkRecord[] = [];
    if (this.#partial.length > 0 || this.#cutting) {
      const line = this.#partial;
      this.#partial = '';
      this.#endLine(line, out);
    }
    this.#flush(out);
    return out;
  }

  #endLine(line: string, out: ChunkRecord[]): void {
    if (this.#cutting) {
      this.#cutting = false;
      if (line.length > 0) this.#emitPieces(line, out);
    } else {
      const bytes = utf8Length(line);
      if (bytes > this.#maxBytes) {
        this.#flush(out);
        this.#emitPieces(line, out);
      } else {
        if (this.#lines.length >= this.#maxLines || this.#bytes + bytes > this.#maxBytes) this.#flush(out);
        if (this.#lines.length === 0) this.#start = this.#line;
        this.#lines.push(line);
        this.#bytes += bytes + 1;
      }
    }
    this.#line++;
  }

  /** Grows the unfinished line, emitting its head in pieces once it is certainly too long. */
  #appendPartial(text: string, out: ChunkRecord[]): void {
    let partial = this.#partial + text;
    let start = 0;
    while (partial.length - start > this.#maxBytes) {
      if (!this.#cutting) this.#flush(out);
      this.#cutting = true;
      const end = nextCut(partial, start, this.#maxBytes);
      out.push(textChunk(this.#line, this.#line, partial.slice(start, end)));
      start = end;
    }
    if (start > 0) partial = partial.slice(start);
    this.#partial = partial;
  }

  #emitPieces(line: string, out: ChunkRecord[]): void {
    for (const piece of cutByBytes(line, this.#maxBytes)) out.push(textChunk(this.#line, this.#line, piece));
  }

  #flush(out: ChunkRecord[]): void {
    if (this.#lines.length === 0) return;
    out.push(textChunk(this.#start, this.#start + this.#lines.length - 1, this.#lines.join('\n')));
    this.#lines = [];
    this.#bytes = 0;
  }
}

function textChunk(startLine: number, endLine: number, text: string): ChunkRecord {
  return { startLine, endLine, kind: 'text', symbol: null, text };
}
