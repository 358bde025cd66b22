import { existsSync } from 'node:fs';
import { mkdir, open, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDryRun } from '../../../src/cli/dry-run-report.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { planDryRun } from '../../../src/pipeline/dry-run.js';
import { tempDir, writeTree } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const KiB = 1024;
const cFunction = (i: number) => `int f${i}(int x)\n{\n\treturn x * ${i};\n}\n\n`;

/** A git work tree holding one file of every kind the classifier tells apart, and one of every rule. */
async function makeRepo(root: string): Promise<void> {
  await mkdir(path.join(root, '.git', 'info'), { recursive: true });
  await writeTree(root, {
    '.git/info/exclude': '*.bak\n',
    '.gitignore': 'build/\n',
    '.groveignore': 'secret.txt\n',
    'build/out.c': cFunction(0),
    'secret.txt': 'not for the index\n',
    'old.bak': 'backup\n',
    'gen/tables.c': cFunction(1),
    'scratch.tmp': 'tmp\n',
    'src/main.c': '#include <stdio.h>\n\nint main(void)\n{\n\treturn 0;\n}\n',
    'src/util.h': 'int util(void);\n',
    'tools/run.py': 'def run():\n    return 1\n',
    'README.md': '# demo\n',
    'blob.bin': Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256),
    'web/bundle.js': `var a=${'1+'.repeat(3000)}1;\n`,
    // Over --max-file-size (64k below) but ordinary code, not a #define table.
    'big.c': Array.from({ length: 4000 }, (_, i) => cFunction(i)).join(''),
  });
  // Over the default 4 GiB hard cap; sparse, so it costs no disk, and never read (it would sniff as binary).
  const huge = await open(path.join(root, 'huge.img'), 'w');
  await huge.truncate(5 * 1024 * 1024 * KiB);
  await huge.close();
  await symlink('.', path.join(root, 'loop'));
}

const options = { maxFileSize: '64k', exclude: ['gen', '*.tmp'] };

describe('planDryRun', () => {
  it('counts what indexing would do by state, language and reason, and lists what the rules leave out', async () => {
    await makeRepo(dir);
    const config = resolveConfig(dir, options);
    const report = await planDryRun(config);

    expect(report.type).toBe('dry-run');
    expect(report.root).toBe(dir);
    expect(report.byReason).toEqual({
      'indexed:parsed': 3, // main.c, util.h, run.py
      'text-only:no-parser': 3, // .gitignore, .groveignore, README.md
      'text-only:minified': 1,
      'text-only:too-large-to-parse': 1,
      'skipped:binary': 1,
      'skipped:too-large': 1,
      'skipped:symlink-loop': 1,
    });
    expect(report.byState).toEqual({ indexed: 3, textOnly: 5, skipped: 3, failed: 0 });
    expect(report.files.total).toBe(11);
    expect(report.files.bytes).toBeGreaterThan(5 * 1024 * 1024 * KiB);

    expect(report.byLanguage.c).toMatchObject({ files: 3, strategy: { parse: 2, text: 1 } });
    expect(report.byLanguage.python).toMatchObject({ files: 1, strategy: { parse: 1 } });
    expect(report.byLanguage.javascript).toMatchObject({ files: 1, strategy: { text: 1 } });
    // blob.bin (binary: no language), huge.img (never read), the two rule files.
    expect(report.byLanguage.unknown?.strategy).toMatchObject({ skip: 2 });
    const languageFiles = Object.values(report.byLanguage).reduce((sum, row) => sum + row.files, 0);
    expect(languageFiles).toBe(report.files.total - 1); // all but the walk problem (the link loop)

    expect(report.excluded).toEqual([
      { path: '.git/', reason: '.git' },
      { path: 'build/', reason: '.gitignore' },
      { path: 'gen/', reason: '--exclude' },
      { path: 'old.bak', reason: '.git/info/exclude' },
      { path: 'scratch.tmp', reason: '--exclude' },
      { path: 'secret.txt', reason: '.groveignore' },
    ]);
    expect(report.excludedCount).toBe(6);
    expect(report.wallMs).toBeGreaterThanOrEqual(0);
  });

  it('estimates from the bytes it would parse and chunk, and writes nothing', async () => {
    await makeRepo(dir);
    const config = resolveConfig(dir, { ...options, concurrency: 2, maxMemory: '256M' });
    const { estimate, byLanguage } = await planDryRun(config);
    expect(estimate.parseBytes).toBe(
      byLanguage.c!.bytes - (await sizeOf(dir, 'big.c')) + byLanguage.python!.bytes,
    );
    expect(estimate.textBytes).toBeGreaterThan(await sizeOf(dir, 'big.c'));
    expect(estimate.workers).toBe(2);
    expect(estimate.seconds).toBeGreaterThan(0);
    expect(estimate.basis).toMatch(/worker/);
    expect(estimate.basis).not.toMatch(/baseline/);
    expect(existsSync(config.indexDir)).toBe(false);
  });

  it('estimates a budget that keeps grammars on baseline code as slower', async () => {
    await makeRepo(dir);
    const roomy = await planDryRun(resolveConfig(dir, { ...options, concurrency: 1, maxMemory: '256M' }));
    const tight = await planDryRun(resolveConfig(dir, { ...options, concurrency: 1, maxMemory: '160M' }));
    expect(tight.estimate.workers).toBe(roomy.estimate.workers);
    expect(tight.estimate.seconds).toBeGreaterThan(roomy.estimate.seconds);
    expect(tight.estimate.basis).toMatch(/1\.5x slower on baseline WASM code/);
  });

  it('does not walk into the index directory and says so', async () => {
    await writeTree(dir, { 'a.py': 'x = 1\n', 'idx/index.db': 'SQLite format 3\0' });
    const report = await planDryRun(resolveConfig(dir, { indexDir: path.join(dir, 'idx') }));
    expect(report.files.total).toBe(1);
    expect(report.excluded).toEqual([{ path: 'idx/', reason: 'index directory' }]);
  });

  it('lists at most 200 excluded paths but counts them all', async () => {
    const files: Record<string, string> = { '.groveignore': '*.o\n' };
    for (let i = 0; i < 250; i++) files[`o/${String(i).padStart(3, '0')}.o`] = '';
    await writeTree(dir, files);
    const report = await planDryRun(resolveConfig(dir));
    expect(report.excluded).toHaveLength(200);
    expect(report.excluded[0]).toEqual({ path: 'o/000.o', reason: '.groveignore' });
    expect(report.excludedCount).toBe(250);
  });

  it('throws ABORTED for an aborted signal, before or during the walk', async () => {
    await makeRepo(dir);
    const config = resolveConfig(dir, options);
    await expect(planDryRun(config, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    const controller = new AbortController();
    const running = planDryRun(config, { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('throws ROOT_NOT_FOUND for a missing root', async () => {
    await expect(planDryRun(resolveConfig(path.join(dir, 'missing')))).rejects.toMatchObject({
      code: 'ROOT_NOT_FOUND',
    });
  });
});

describe('formatDryRun', () => {
  it('prints totals, languages by bytes, reasons, excluded paths and the estimate', async () => {
    await makeRepo(dir);
    const text = formatDryRun(await planDryRun(resolveConfig(dir, options)));
    expect(text).toContain('11 files');
    expect(text).toContain('Planned: 3 indexed, 5 text-only, 3 skipped, 0 failed');
    expect(text).toMatch(/^\s+3\s+text-only:no-parser$/m);
    expect(text).toContain('Excluded by rules: 6 paths');
    expect(text).toMatch(/^\s+build\/\s+\.gitignore$/m);
    expect(text).toMatch(/^Estimate: (~\d+s|under 1s) to index/m);
    // Languages sorted by bytes: the sparse image (unknown) first, then C.
    const table = text
      .split('\n')
      .filter((line) => /^\s+(unknown|c|python|javascript|markdown)\s/.test(line));
    expect(table.map((line) => line.trim().split(/\s+/)[0])).toEqual([
      'unknown',
      'c',
      'javascript',
      'python',
      'markdown',
    ]);
  });
});

async function sizeOf(root: string, rel: string): Promise<number> {
  return (await stat(path.join(root, rel))).size;
}
