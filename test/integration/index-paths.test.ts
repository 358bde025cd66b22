/**
 * Paths runs (what the daemon's watcher batches use): only the named paths are re-examined, with the
 * same ignore rules as a full walk, and the index ends equal to a clean full run of the tree.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanSnapshot, index } from '../helpers/index-runs.js';
import { indexSnapshot } from '../helpers/index-snapshot.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grove-paths-'));
  writeSampleRepo(dir);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('indexing a list of paths', () => {
  it('applies edits, additions and deletions of the named files and looks at nothing else', async () => {
    await index(dir);
    writeFileSync(join(dir, 'web/http.ts'), 'export function fetchText(url: string) {\n  return url;\n}\n');
    writeFileSync(join(dir, 'web/added.ts'), 'export const addedValue = 1;\n');
    rmSync(join(dir, 'tools/report.py'));
    // Changed on disk but not named: a paths run must leave it as it was.
    writeFileSync(join(dir, 'cmd/main.go'), 'package main\n\nfunc unnamedChange() {}\n');
    const run = await index(dir, { paths: ['web/http.ts', 'web/added.ts', 'tools/report.py'] });
    expect(run.run).toMatchObject({ filesSeen: 2, filesWritten: 2, filesRemoved: 1, parsed: 2 });
    const snapshot = await indexSnapshot(join(dir, '.grove'));
    expect(snapshot.files.some((row) => row.startsWith('["tools/report.py"'))).toBe(false);
    expect(snapshot.symbols.some((row) => row.includes('"fetchText"'))).toBe(true);
    expect(snapshot.symbols.some((row) => row.includes('"unnamedChange"'))).toBe(false);
    // Naming the last change too makes the index equal to a clean run of the tree.
    await index(dir, { paths: ['cmd/main.go'] });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('walks a renamed directory whole and drops the old one, reported as single paths', async () => {
    await index(dir);
    renameSync(join(dir, 'src/server'), join(dir, 'src/daemon'));
    const run = await index(dir, { paths: ['src/server', 'src/daemon'] });
    expect(run.run).toMatchObject({ filesSeen: 2, filesRemoved: 2, parsed: 0 });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });

  it('keeps ignored paths out, as the full walk does, and removes a file that became ignored', async () => {
    await index(dir);
    writeFileSync(join(dir, 'build/output.c'), 'int still_ignored(void) { return 1; }\n');
    mkdirSync(join(dir, 'web/generated'), { recursive: true });
    writeFileSync(join(dir, 'web/generated/out.ts'), 'export const generated = 1;\n');
    writeFileSync(join(dir, '.groveignore'), 'generated/\nsettings.json\n');
    const run = await index(dir, {
      paths: ['build/output.c', 'web/generated/out.ts', '.groveignore', 'config/settings.json', '../x'],
    });
    expect(run.run).toMatchObject({ filesSeen: 1, filesRemoved: 1 });
    expect(await indexSnapshot(join(dir, '.grove'))).toEqual(await cleanSnapshot(dir));
  });
});
