/**
 * A daemon loading a project catches up on what no watcher saw: the reference graph of files a killed
 * daemon wrote but never linked (its link runs 1.5 s after the last batch), and files added while no
 * daemon ran (they change no indexed file's stat, only their directory's mtime). Found by the SIGKILL
 * trials of test/reliability/watch-kill.test.ts: a restarted daemon left both missing until the next edit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '../../src/query/open-index.js';
import { eventually, startDaemon } from '../helpers/daemon-process.js';
import { cleanSnapshot, index } from '../helpers/index-runs.js';
import { indexSnapshot } from '../helpers/index-snapshot.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;
let repo: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-catch-up-'));
  repo = join(dir, 'repo');
  writeSampleRepo(repo);
  await index(repo);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const missesChanges = () => {
  const grove = openIndex(join(repo, '.grove'));
  try {
    return grove.missesChanges();
  } finally {
    grove.close();
  }
};

/** What a daemon killed between a watcher batch and its deferred link leaves: rows, but no edges. */
async function writeUnlinked(path: string, text: string): Promise<void> {
  writeFileSync(join(repo, path), text);
  await index(repo, { paths: [path] }, { deferLink: true });
}

describe('a daemon loading a project', () => {
  it('sees nothing to catch up on after a complete run, and what a run without link or a new file leaves', async () => {
    expect(missesChanges()).toBe(false);
    await writeUnlinked(
      'web/first.ts',
      "import { fetchJson } from './http';\nexport const first = fetchJson;\n",
    );
    expect(missesChanges()).toBe(true);
    await index(repo);
    expect(missesChanges()).toBe(false);
    writeFileSync(join(repo, 'web/second.ts'), 'export const second = 2;\n');
    expect(missesChanges()).toBe(true);
    await index(repo);
    expect(missesChanges()).toBe(false);
  });

  it('links what a killed daemon wrote, and indexes files added while none ran', async () => {
    await writeUnlinked(
      'web/caller.ts',
      "import { fetchJson } from './http';\n\nexport function loadCaller() {\n  return fetchJson('/caller');\n}\n",
    );
    writeFileSync(join(repo, 'web/added.ts'), 'export function addedWhileAway(): number {\n  return 1;\n}\n');
    const clean = await cleanSnapshot(repo);
    const daemon = await startDaemon(['--socket', join(dir, 'd.sock')]);
    try {
      // Loading the project starts the catch-up; nothing is edited after it.
      await daemon.call('status', { root: repo });
      await eventually(async () => {
        const context = (await daemon.call('context', { root: repo, path: 'web/http.ts' })) as {
          dependents: Array<{ path: string }>;
        };
        const added = (await daemon.call('symbols', { root: repo, name: 'addedWhileAway' })) as {
          results: unknown[];
        };
        return context.dependents.some((file) => file.path === 'web/caller.ts') && added.results.length === 1;
      });
      expect(await indexSnapshot(join(repo, '.grove'))).toEqual(clean);
    } finally {
      await daemon.kill('SIGTERM');
    }
  });
});
