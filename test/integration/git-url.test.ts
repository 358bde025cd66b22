/** `grove index GIT-URL` end to end: shallow clone into the cache, index, then fetch and re-index. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runGrove } from '../helpers/run-grove.js';

let base: string;
let work: string;
let env: NodeJS.ProcessEnv;

function git(args: string[], cwd = work): string {
  return execFileSync('git', ['-c', 'user.name=grove', '-c', 'user.email=grove@example.invalid', ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
}

function commit(path: string, text: string): void {
  mkdirSync(join(work, path, '..'), { recursive: true });
  writeFileSync(join(work, path), text);
  git(['add', '-A']);
  git(['commit', '-q', '-m', `add ${path}`]);
  git(['push', '-q', 'origin', 'HEAD:main']);
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'grove-giturl-'));
  // CI has no git identity and may have global config: git runs against a temp HOME.
  env = { ...process.env, HOME: base, GIT_CONFIG_NOSYSTEM: '1', GROVE_CACHE_DIR: join(base, 'cache') };
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(base, 'origin.git')], { env });
  work = join(base, 'work');
  execFileSync('git', ['clone', '-q', join(base, 'origin.git'), work], { env });
  git(['checkout', '-q', '-b', 'main']);
  commit('src/parser.c', 'int parse_config(const char *path) { return 0; }\n');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('grove index GIT-URL', () => {
  it('clones, indexes, then fetches and indexes incrementally', async () => {
    const url = `file://${join(base, 'origin.git')}`;
    const first = await runGrove(['index', url, '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const events = ndjson(first.stdout);
    const source = events.find((event) => event.type === 'source') as Record<string, string> | undefined;
    expect(source).toMatchObject({ fetched: 'cloned', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(events.at(-1)).toMatchObject({ type: 'summary', files: { indexed: 1 } });

    commit('src/lexer.c', 'int next_token(void) { return 1; }\n');
    const second = await runGrove(['index', url, '--json'], { env });
    expect(second.code, second.stderr).toBe(0);
    const again = ndjson(second.stdout);
    expect(again.find((event) => event.type === 'source')).toMatchObject({
      fetched: 'updated',
      root: source?.root,
    });
    const summary = again.at(-1) as unknown as {
      files: { indexed: number };
      run: { parsed: number; filesUnchanged: number };
    };
    expect(summary.files.indexed).toBe(2);
    expect(summary.run).toMatchObject({ parsed: 1, filesUnchanged: 1 });

    const search = await runGrove(['search', 'next_token', '--json', '--index', `${source?.root}.grove`], {
      env,
    });
    const body = JSON.parse(search.stdout);
    expect(body.results[0].path).toBe('src/lexer.c');
    expect(body.freshness.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('refuses an unknown ref with a coded error', async () => {
    const run = await runGrove(['index', `file://${join(base, 'origin.git')}`, '--ref', 'no-such-branch'], {
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/GIT_REF_NOT_FOUND/);
  });
});
