/**
 * Golden extraction tests: test/golden/<lang>/input/<file> -> expected/<file>.json. Expected files
 * change only through `UPDATE_GOLDEN=1 npx vitest run test/golden`, and are reviewed like code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Extraction, LanguageId } from '../../src/model.js';
import { createExtractor, type Extractor } from '../../src/parse/extractor.js';

const ROOT = import.meta.dirname;
const LANGUAGES: LanguageId[] = [
  'c',
  'cpp',
  'python',
  'javascript',
  'typescript',
  'tsx',
  'go',
  'rust',
  'java',
];
const UPDATE = process.env.UPDATE_GOLDEN === '1';

let extractor: Extractor;
beforeAll(async () => {
  extractor = await createExtractor();
});
afterAll(() => extractor.close());

/** One record per line, so a diff of an expected file reads like a diff of the extraction. */
function formatGolden(extraction: Extraction): string {
  const section = (name: string, rows: unknown[]) =>
    `  "${name}": [${rows.length === 0 ? '' : `\n${rows.map((row) => `    ${JSON.stringify(row)}`).join(',\n')}\n  `}]`;
  return `{\n${[
    section('symbols', extraction.symbols),
    section(
      'imports',
      extraction.imports.map((i) => `${i.line} ${i.source}`),
    ),
    section(
      'refs',
      extraction.refs.map((r) => `${r.line} ${r.kind} ${r.name}`),
    ),
    section(
      'chunks',
      extraction.chunks.map((c) => `${c.startLine}-${c.endLine} ${c.kind} ${c.symbol ?? '-'}`),
    ),
  ].join(',\n')}\n}\n`;
}

describe.each(LANGUAGES)('golden %s', (language) => {
  const inputDir = join(ROOT, language, 'input');
  const files = existsSync(inputDir) ? readdirSync(inputDir).sort() : [];

  it('has at least one input', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const source = readFileSync(join(inputDir, file), 'utf8');
    const actual = formatGolden(await extractor.extract(language, source));
    const expectedPath = join(ROOT, language, 'expected', `${file}.json`);
    if (UPDATE) {
      mkdirSync(join(ROOT, language, 'expected'), { recursive: true });
      writeFileSync(expectedPath, actual);
    }
    expect(existsSync(expectedPath), `missing ${expectedPath}; run UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
