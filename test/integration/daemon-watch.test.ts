/**
 * Live updates: with a real daemon watching a real repository, written, renamed and deleted files and a
 * branch switch (hundreds of files at once, one batch) become searchable without any index command.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, eventually, startDaemon } from '../helpers/daemon-process.js';
import { runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;
let repo: string;
let daemon: DaemonProcess;

interface SymbolsAnswer {
  results: Array<{ name: string; path: string }>;
  freshness: { dirtyFiles: number };
}

const symbolPaths = async (name: string) =>
  ((await daemon.call('symbols', { root: repo, name })) as SymbolsAnswer).results.map(
    (result) => result.path,
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-watch-'));
  repo = join(dir, 'repo');
  writeSampleRepo(repo);
  // The index remembers this exclude: the daemon's runs, which give none, must keep it.
  expect((await runGrove(['index', repo, '--exclude', 'scratch/**'])).code).toBe(0);
  daemon = await startDaemon(['--socket', join(dir, 'd.sock')]);
  // The first request loads the project and starts its watcher.
  expect(await symbolPaths('main')).toContain('cmd/main.go');
});

afterAll(async () => {
  await daemon.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('the daemon watching a repository', () => {
  it('indexes a written file, then its rename, then its deletion', async () => {
    writeFileSync(
      join(repo, 'web/quokka.ts'),
      'export function quokkaHappiness(): number {\n  return 11;\n}\n',
    );
    await eventually(async () => (await symbolPaths('quokkaHappiness')).includes('web/quokka.ts'));

    renameSync(join(repo, 'web/quokka.ts'), join(repo, 'web/marsupial.ts'));
    await eventually(async () => {
      const paths = await symbolPaths('quokkaHappiness');
      return paths.length === 1 && paths[0] === 'web/marsupial.ts';
    });

    rmSync(join(repo, 'web/marsupial.ts'));
    await eventually(async () => (await symbolPaths('quokkaHappiness')).length === 0);
    const search = (await daemon.call('search', { root: repo, query: 'quokkaHappiness' })) as {
      results: unknown[];
    };
    expect(search.results).toEqual([]);
  });

  it('keeps out what the index was built to exclude, in watcher batches and in a whole-tree run', async () => {
    mkdirSync(join(repo, 'scratch'), { recursive: true });
    writeFileSync(
      join(repo, 'scratch/notes.ts'),
      'export function scratchWombat(): number {\n  return 1;\n}\n',
    );
    writeFileSync(
      join(repo, 'web/sentinel.ts'),
      'export function sentinelWombat(): number {\n  return 2;\n}\n',
    );
    await eventually(async () => (await symbolPaths('sentinelWombat')).includes('web/sentinel.ts'));
    expect(await symbolPaths('scratchWombat')).toEqual([]);
    await daemon.call('index', { root: repo });
    expect(await symbolPaths('scratchWombat')).toEqual([]);
    expect(await symbolPaths('sentinelWombat')).toEqual(['web/sentinel.ts']);
  });

  it('links the reference graph once the changes are quiet: a new importer becomes a dependent', async () => {
    writeFileSync(
      join(repo, 'web/caller.ts'),
      "import { fetchJson } from './http';\n\nexport function loadCaller() {\n  return fetchJson('/caller');\n}\n",
    );
    await eventually(async () => {
      const context = (await daemon.call('context', { root: repo, path: 'web/http.ts' })) as {
        dependents: Array<{ path: string }>;
      };
      return context.dependents.some((file) => file.path === 'web/caller.ts');
    });
  });

  it('takes a git branch switch of hundreds of files as one batch and keeps ignored files out', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args]);
    // The index must not be committed: a checkout would then rewrite it (and its lock) under the daemon.
    writeFileSync(join(repo, '.git/info/exclude'), '.grove/\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    const files = 300;
    mkdirSync(join(repo, 'feature'), { recursive: true });
    for (let i = 0; i < files; i++) {
      writeFileSync(join(repo, 'feature', `mod_${i}.py`), `def branch_feature_${i}():\n    return ${i}\n`);
    }
    git('add', '-A');
    git('commit', '-qm', 'feature');
    await eventually(async () => (await symbolPaths(`branch_feature_${files - 1}`)).length === 1);
    await eventually(async () => (await indexingHealth()).state === 'idle');

    const before = await indexingHealth();
    git('checkout', '-q', '-');
    await eventually(async () => (await symbolPaths(`branch_feature_${files - 1}`)).length === 0);
    git('checkout', '-q', 'feature');
    writeFileSync(join(repo, 'build/generated.c'), 'int ignored_after_switch(void) { return 1; }\n');
    await eventually(async () => (await symbolPaths(`branch_feature_${files - 1}`)).length === 1);
    await eventually(async () => (await indexingHealth()).state === 'idle');
    const after = await indexingHealth();
    // Two switches; the watcher reports the first change of a burst on its own, so at most two each.
    expect(after.batches - before.batches).toBeLessThanOrEqual(4);
    const all = (await daemon.call('symbols', {
      root: repo,
      name: 'branch_feature_*',
      limit: 1000,
    })) as SymbolsAnswer;
    expect(all.results).toHaveLength(files);
    expect(all.freshness.dirtyFiles).toBe(0);
    expect(await symbolPaths('ignored_after_switch')).toEqual([]);
  });

  it('answers queries from the last committed state while a batch runs', async () => {
    // A checkout-sized change: queries issued while its batch runs all succeed.
    for (let i = 0; i < 200; i++)
      writeFileSync(join(repo, 'tools', `script_${i}.py`), `def script_${i}():\n    pass\n`);
    const answers: number[] = [];
    await eventually(async () => {
      answers.push(
        ((await daemon.call('symbols', { root: repo, name: 'main' })) as SymbolsAnswer).results.length,
      );
      return (await symbolPaths('script_199')).length === 1;
    });
    expect(answers.every((count) => count >= 1)).toBe(true);
  });
});

async function indexingHealth(): Promise<{ batches: number; state: string }> {
  const status = (await daemon.call('status')) as { projects: Array<{ batches: number; state: string }> };
  return status.projects[0]!;
}
