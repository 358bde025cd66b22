/**
 * Splits a byte stream into newline-terminated frames with a size cap. A frame over the cap is reported
 * once (as soon as it passes the cap, so a client streaming an endless line cannot grow our memory) and
 * the rest of it, up to its newline, is dropped; the next frame is read normally.
 */
export interface LineReader {
  push(chunk: Buffer): void;
}

export function createLineReader(
  maxBytes: number,
  onLine: (line: string) => void,
  onOversized: () => void,
): LineReader {
  let parts: Buffer[] = [];
  let size = 0;
  let discarding = false;
  return {
    push(chunk) {
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, newline);
        start = newline + 1;
        if (discarding) discarding = false;
        else if (size + piece.length > maxBytes) onOversized();
        else {
          const line = (parts.length === 0 ? piece : Buffer.concat([...parts, piece])).toString('utf8');
          if (line.trim() !== '') onLine(line);
        }
        parts = [];
        size = 0;
      }
      const rest = chunk.subarray(start);
      if (discarding || rest.length === 0) return;
      if (size + rest.length > maxBytes) {
        parts = [];
        size = 0;
        discarding = true;
        onOversized();
      } else {
        parts.push(rest);
        size += rest.length;
      }
    },
  };
}
