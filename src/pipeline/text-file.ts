/**
 * Text-only files: line-window chunks plus the fast line-level symbol scan (`#define`s, exports). Small
 * files are done in one call on the main thread (cheaper than a worker round trip); big ones stream.
 */
import type { Extraction } from '../model.js';
import { LineChunker } from '../parse/line-chunker.js';
import { createTextSymbolScanner } from '../parse/text-symbols.js';
import type { Classification } from './stages/classify.js';

export function decodeText(bytes: Uint8Array, classification: Classification): string {
  const body = classification.bomBytes > 0 ? bytes.subarray(classification.bomBytes) : bytes;
  return new TextDecoder(classification.encoding).decode(body);
}

export function chunkSmallText(bytes: Uint8Array, classification: Classification): Extraction {
  const text = decodeText(bytes, classification);
  const chunker = new LineChunker();
  const scanner = createTextSymbolScanner(classification.language);
  const chunks = [...chunker.push(text), ...chunker.end()];
  const symbols = [...scanner.push(text), ...scanner.end()];
  return { symbols, refs: [], imports: [], chunks };
}
