/** Shared helpers for the store tests: a temp directory per test and small record builders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ChunkRecord, Extraction, FileRecord, SymbolRecord } from '../../../src/model.js';
import { Store } from '../../../src/store/store.js';

export interface TempDir {
  dir: string;
  dbPath: string;
  cleanup(): void;
}

export function makeTempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'grove-store-'));
  return { dir, dbPath: join(dir, 'index.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh writable store in its own temp directory for each test of the calling suite (read the fields in tests). */
export function useTempStore(): { readonly tmp: TempDir; readonly store: Store } {
  const current = {} as { tmp: TempDir; store: Store };
  beforeEach(() => {
    current.tmp = makeTempDir();
    current.store = Store.open(current.tmp.dbPath);
  });
  afterEach(() => {
    current.store.close();
    current.tmp.cleanup();
  });
  return current;
}

export function fileRecord(path: string, overrides: Partial<FileRecord> = {}): FileRecord {
  return {
    path,
    size: 100,
    mtimeMs: 1_700_000_000_000.5,
    ino: 42,
    dev: 7,
    hash: 'abc123',
    language: 'typescript',
    state: 'indexed',
    reason: 'parsed',
    error: null,
    ...overrides,
  };
}

export function chunk(text: string, startLine = 1, overrides: Partial<ChunkRecord> = {}): ChunkRecord {
  const lines = text.split('\n').length;
  return { startLine, endLine: startLine + lines - 1, kind: 'text', symbol: null, text, ...overrides };
}

export function symbol(name: string, startLine: number, overrides: Partial<SymbolRecord> = {}): SymbolRecord {
  return {
    name,
    kind: 'function',
    signature: `function ${name}()`,
    startLine,
    endLine: startLine + 2,
    parent: null,
    ...overrides,
  };
}

/** An extraction with one function chunk per symbol name, each defining and calling something. */
export function functionsExtraction(names: string[], calls: string[] = []): Extraction {
  const symbols: SymbolRecord[] = [];
  const chunks: ChunkRecord[] = [];
  names.forEach((name, i) => {
    const start = i * 4 + 1;
    symbols.push(symbol(name, start));
    const body = calls.map((c) => `  ${c}();`).join('\n');
    chunks.push(chunk(`function ${name}() {\n${body}\n}`, start, { kind: 'function', symbol: name }));
  });
  return {
    symbols,
    refs: calls.map((name, i) => ({ name, kind: 'call', line: i + 2 })),
    imports: [{ source: './util', line: 1 }],
    chunks,
  };
}
