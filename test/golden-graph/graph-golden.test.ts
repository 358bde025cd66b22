/**
 * Golden tests for import and reference resolution: each test/golden-graph/<lang>/input is a small
 * project, indexed by the real pipeline into a temporary index; its resolved imports, dependency edges
 * and the uses of the names listed in <lang>/names.txt are rendered (render-graph.ts) and compared with
 * <lang>/expected.txt. Expected files change only through
 * `UPDATE_GOLDEN=1 npx vitest run test/golden-graph`, and are reviewed like code: each must say what a
 * careful engineer would call correct, or the fixture explains why names and imports cannot do better.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexRepository } from '../../src/pipeline/index-repository.js';
import { openIndex } from '../../src/query/open-index.js';
import { Store } from '../../src/store/store.js';
import { renderGraph } from './render-graph.js';

const ROOT = import.meta.dirname;
const LANGUAGES = (process.env.GOLDEN_GRAPH_ONLY ?? 'c,cpp,python,javascript,typescript,go,rust,java').split(
  ',',
);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'grove-golden-graph-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function indexFixture(language: string): Promise<{ root: string; indexDir: string }> {
  // A copy outside grove's own git work tree: its ignore rules must not apply to the fixture.
  const root = join(work, language);
  const indexDir = join(work, `${language}.grove`);
  cpSync(join(ROOT, language, 'input'), root, { recursive: true });
  for await (const event of indexRepository(root, { indexDir, concurrency: 1 })) {
    if (event.type === 'summary') {
      expect(event.files.failed).toBe(0);
      expect(event.files.indexed).toBeGreaterThanOrEqual(3);
    }
  }
  return { root, indexDir };
}

function refNames(language: string): string[] {
  return readFileSync(join(ROOT, language, 'names.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe.each(LANGUAGES)('reference graph golden %s', (language) => {
  it('resolves as expected.txt says', async () => {
    const { indexDir } = await indexFixture(language);
    const store = Store.open(join(indexDir, 'index.db'), { readonly: true });
    const index = openIndex(indexDir);
    let actual: string;
    try {
      actual = renderGraph(store, index, refNames(language));
    } finally {
      index.close();
      store.close();
    }
    const expectedPath = join(ROOT, language, 'expected.txt');
    if (UPDATE) writeFileSync(expectedPath, actual);
    expect(existsSync(expectedPath), `missing ${expectedPath}; run UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
