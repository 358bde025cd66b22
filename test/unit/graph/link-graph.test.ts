/**
 * The incremental link must end where a full link of the same index ends: after every random edit
 * (rewrites that change or keep defined names, deletions, new files), the edges from a partial link equal
 * the edges from linking everything again.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkGraph } from '../../../src/graph/link-graph.js';
import type { Extraction } from '../../../src/model.js';
import { Store } from '../../../src/store/store.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { chunk, fileRecord, makeTempDir, symbol, type TempDir } from '../store/store-fixtures.js';

const ALL_NAMES = Array.from({ length: 24 }, (_, i) => `fn_${i}`);
const SEEDS = (process.env.GROVE_LINK_SEEDS ?? '20261123,7,11').split(',').map(Number);
const DIRS = ['core', 'net', 'fs'];

function cFile(defines: string[], calls: string[], includes: string[]): Extraction {
  const text = [...defines.map((d) => `int ${d}(void) { return 0; }`), ...calls.map((c) => `  ${c}();`)].join(
    '\n',
  );
  return {
    symbols: defines.map((name, i) =>
      symbol(name, i + 1, { endLine: i + 1, signature: `int ${name}(void)` }),
    ),
    refs: calls.map((name, i) => ({ name, kind: 'call', line: defines.length + i + 1 })),
    imports: includes.map((source, i) => ({ source, line: i + 1 })),
    chunks: [chunk(text || '\n', 1, { kind: 'text' })],
  };
}

function pick<T>(random: () => number, items: readonly T[], count: number): T[] {
  return Array.from({ length: count }, () => items[Math.floor(random() * items.length)] as T);
}

function edges(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const deps = db
      .prepare(
        `SELECT s.path AS src, d.path AS dst, e.weight, e.names FROM file_deps e
         JOIN files s ON s.id = e.src JOIN files d ON d.id = e.dst`,
      )
      .all() as { src: string; dst: string; weight: number; names: number }[];
    const imports = db
      .prepare(
        `SELECT s.path AS src, d.path AS dst FROM file_imports e JOIN files s ON s.id = e.src JOIN files d ON d.id = e.dst`,
      )
      .all() as { src: string; dst: string }[];
    return [
      ...deps.map((e) => `dep ${e.src} -> ${e.dst} ${e.weight.toFixed(9)} ${e.names}`),
      ...imports.map((e) => `import ${e.src} -> ${e.dst}`),
    ].sort();
  } finally {
    db.close();
  }
}

function markAllDirty(dbPath: string): void {
  const db = new Database(dbPath);
  db.exec('INSERT OR REPLACE INTO graph_dirty (file_id, names_changed) SELECT id, 1 FROM files');
  db.close();
}

describe('linkGraph', () => {
  let tmp: TempDir;
  let store: Store;
  beforeEach(() => {
    tmp = makeTempDir();
    store = Store.open(tmp.dbPath);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('links headers, definitions and users of a small C project', () => {
    store.writeBatch([
      { file: fileRecord('include/util.h', { language: 'c' }), extraction: cFile(['util_max'], [], []) },
      {
        file: fileRecord('core/main.c', { language: 'c' }),
        extraction: cFile(['main'], ['util_max', 'helper'], ['util.h']),
      },
      { file: fileRecord('core/helper.c', { language: 'c' }), extraction: cFile(['helper'], [], []) },
    ]);
    // Every file is new: the whole index is linked at once.
    expect(linkGraph(store.graph).mode).toBe('full');
    expect(edges(tmp.dbPath)).toEqual([
      'dep core/main.c -> core/helper.c 1.000000000 1',
      'dep core/main.c -> include/util.h 1.000000000 1',
      'import core/main.c -> include/util.h',
    ]);
    expect(linkGraph(store.graph)).toEqual({ mode: 'none', files: 0 });
    const ranks = store.read((q) => q.topRanked(3).map((f) => f.path));
    expect(ranks[2]).toBe('core/main.c');
  });

  // 24 names: most have one to three definers. 6 names: most have more than three (`init`, `probe`),
  // so adding or removing one leaves their far users unresolved and only near users are linked again.
  it.each(
    SEEDS.flatMap((seed) => [24, 6].map((names) => [seed, names] as const)),
  )('ends identical to a full link after each of many random edits (seed %i, %i names)', (seed, nameCount) => {
    const NAMES = ALL_NAMES.slice(0, nameCount);
    const random = seededRandom(seed);
    const paths = Array.from({ length: 30 }, (_, i) => `${DIRS[i % DIRS.length]}/file_${i}.c`);
    const live = new Set<string>();
    const write = (path: string) => {
      const extraction = cFile(
        [...new Set(pick(random, NAMES, 1 + Math.floor(random() * 3)))],
        pick(random, NAMES, Math.floor(random() * 6)),
        pick(random, paths, Math.floor(random() * 2)).map((p) => p.split('/')[1] ?? ''),
      );
      store.writeBatch([{ file: fileRecord(path, { language: 'c' }), extraction }]);
      live.add(path);
    };
    for (const path of paths.slice(0, 20)) write(path);
    linkGraph(store.graph);
    const modes: string[] = [];
    for (let step = 0; step < 60; step++) {
      const roll = random();
      const path = pick(random, paths, 1)[0] ?? '';
      if (roll < 0.2 && live.has(path)) {
        store.deleteFiles([path]);
        live.delete(path);
      } else if (roll < 0.35 && live.has(path)) {
        // Same names, other calls: edges into the file stay, its own edges are redone.
        const names = store.read((q) => q.definitionsIn(q.file(path)?.id ?? -1).map((d) => d.name));
        store.writeBatch([
          { file: fileRecord(path, { language: 'c' }), extraction: cFile(names, pick(random, NAMES, 3), []) },
        ]);
      } else write(path);
      modes.push(linkGraph(store.graph).mode);
      const partial = edges(tmp.dbPath);
      markAllDirty(tmp.dbPath);
      linkGraph(store.graph);
      expect(partial, `after step ${step}`).toEqual(edges(tmp.dbPath));
    }
    expect(edges(tmp.dbPath).length).toBeGreaterThan(10);
    // The edits were linked incrementally, and compared with real full links.
    expect(modes.filter((mode) => mode === 'partial').length).toBeGreaterThan(40);
  });

  it('links a small index written mostly anew in full, and one edit of it in part', () => {
    const files = Array.from({ length: 6 }, (_, i) => ({
      file: fileRecord(`core/file_${i}.c`, { language: 'c' }),
      extraction: cFile([`fn_${i}`], [`fn_${(i + 1) % 6}`], []),
    }));
    store.writeBatch(files);
    expect(linkGraph(store.graph).mode).toBe('full');
    store.writeBatch(files.slice(0, 3));
    expect(linkGraph(store.graph).mode).toBe('full');
    store.writeBatch(files.slice(0, 1));
    expect(linkGraph(store.graph).mode).toBe('partial');
  });
});
