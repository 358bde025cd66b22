import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { defaultCacheDir, materializeGitSource } from '../../../src/repo/git-source.js';
import { cacheKeyFor, isGitUrl, redactText, redactUrl } from '../../../src/repo/git-url.js';

// CI has no git identity and may have system or global config: every git here runs against a temp HOME.
const ENV_OVERRIDES: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
};
const savedEnv = new Map<string, string | undefined>();
let tmp = '';
let bare = '';
let work = '';
let bareUrl = '';
let cacheCount = 0;

function setEnv(name: string, value: string | undefined): void {
  if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function git(args: string[], cwd = work): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function commitFile(name: string, text: string): string {
  writeFileSync(path.join(work, name), text);
  git(['add', name]);
  git(['commit', '-q', '-m', `add ${name}`]);
  return git(['rev-parse', 'HEAD']);
}

/** A fresh cache per test, so that tests do not depend on each other's checkouts. */
function freshCache(): string {
  cacheCount += 1;
  return path.join(tmp, `cache-${cacheCount}`);
}

async function codeOf(promise: Promise<unknown>): Promise<GroveError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GroveError);
  return error as GroveError;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'grove-git-source-'));
  setEnv('HOME', tmp);
  setEnv('XDG_CONFIG_HOME', path.join(tmp, '.config'));
  for (const [name, value] of Object.entries(ENV_OVERRIDES)) setEnv(name, value);
  bare = path.join(tmp, 'origin.git');
  work = path.join(tmp, 'work');
  git(['init', '-q', '--bare', bare], tmp);
  git(['init', '-q', work], tmp);
  commitFile('a.txt', 'first\n');
  git(['branch', '-M', 'main']);
  git(['tag', '-a', 'v1', '-m', 'release 1']);
  git(['tag', 'light']);
  git(['checkout', '-q', '-b', 'feature']);
  commitFile('feature.txt', 'feature\n');
  git(['checkout', '-q', 'main']);
  git(['push', '-q', bare, 'main', 'feature', 'v1', 'light']);
  git(['symbolic-ref', 'HEAD', 'refs/heads/main'], bare);
  bareUrl = pathToFileURL(bare).href;
});

afterAll(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('materializeGitSource', () => {
  it("clones the remote's default branch into a hashed cache directory, leaving no temporary clone", async () => {
    const cacheDir = freshCache();
    const source = await materializeGitSource(bareUrl, { cacheDir });
    expect(source.fetched).toBe('cloned');
    expect(source.commit).toBe(git(['rev-parse', 'main']));
    expect(source.url).toBe(bareUrl);
    expect(source.root).toBe(path.join(cacheDir, cacheKeyFor(bareUrl)));
    expect(readdirSync(source.root).sort()).toEqual(['.git', 'a.txt']);
    expect(readdirSync(cacheDir)).toEqual([path.basename(source.root)]);
    expect(git(['rev-parse', '--is-shallow-repository'], source.root)).toBe('true');
  });

  it('clones a branch, an annotated tag, a lightweight tag and a full commit SHA given as --ref', async () => {
    const main = git(['rev-parse', 'main']);
    const feature = await materializeGitSource(bare, { cacheDir: freshCache(), ref: 'feature' });
    expect(feature.commit).toBe(git(['rev-parse', 'feature']));
    expect(existsSync(path.join(feature.root, 'feature.txt'))).toBe(true);
    const tag = await materializeGitSource(bareUrl, { cacheDir: freshCache(), ref: 'v1' });
    expect(tag.commit).toBe(main); // the tag's commit, not the tag object
    const light = await materializeGitSource(bareUrl, { cacheDir: freshCache(), ref: 'light' });
    expect(light.commit).toBe(main);
    const sha = await materializeGitSource(bareUrl, { cacheDir: freshCache(), ref: feature.commit });
    expect(sha.commit).toBe(feature.commit);
    expect(existsSync(path.join(sha.root, 'feature.txt'))).toBe(true);
  });

  it("reports 'updated' with the new file after a push, then 'unchanged', and repairs edits in the cache", async () => {
    const cacheDir = freshCache();
    const first = await materializeGitSource(bareUrl, { cacheDir, ref: 'main' });
    expect(first.fetched).toBe('cloned');
    const pushed = commitFile('b.txt', 'second\n');
    git(['push', '-q', bare, 'main']);
    const second = await materializeGitSource(bareUrl, { cacheDir, ref: 'main' });
    expect(second).toMatchObject({ root: first.root, commit: pushed, fetched: 'updated' });
    expect(existsSync(path.join(second.root, 'b.txt'))).toBe(true);
    writeFileSync(path.join(second.root, 'stray.txt'), 'not in the commit');
    writeFileSync(path.join(second.root, 'a.txt'), 'edited');
    const third = await materializeGitSource(bareUrl, { cacheDir, ref: 'main' });
    expect(third).toMatchObject({ root: first.root, commit: pushed, fetched: 'unchanged' });
    expect(readdirSync(third.root).sort()).toEqual(['.git', 'a.txt', 'b.txt']);
    expect(git(['status', '--porcelain'], third.root)).toBe('');
  });

  it('reports an unknown branch, tag or commit as GIT_REF_NOT_FOUND (exit 2)', async () => {
    const cacheDir = freshCache();
    const unknown = await codeOf(materializeGitSource(bareUrl, { cacheDir, ref: 'no-such-branch' }));
    expect(unknown.code).toBe('GIT_REF_NOT_FOUND');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toContain(bareUrl);
    const sha = await codeOf(materializeGitSource(bareUrl, { cacheDir, ref: '0'.repeat(40) }));
    expect(sha.code).toBe('GIT_REF_NOT_FOUND');
    const short = await codeOf(materializeGitSource(bareUrl, { cacheDir, ref: 'abc1234' }));
    expect(short.message).toContain('full SHA');
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });

  it('refuses a ref or URL that git could read as an option', async () => {
    expect((await codeOf(materializeGitSource(bareUrl, { ref: '--upload-pack=x' }))).code).toBe(
      'CONFIG_INVALID',
    );
    expect((await codeOf(materializeGitSource('--upload-pack=touch x'))).code).toBe('CONFIG_INVALID');
    expect((await codeOf(materializeGitSource(bareUrl, { depth: 0 }))).code).toBe('CONFIG_INVALID');
  });

  it('fails with GIT_CLONE_FAILED naming the redacted URL and never the credentials', async () => {
    // Port 9 (discard) on loopback: refused at once, and never leaves the machine.
    const url = 'https://user:secret@127.0.0.1:9/x.git?access_token=hunter2';
    const error = await codeOf(materializeGitSource(url, { cacheDir: freshCache() }));
    expect(error.code).toBe('GIT_CLONE_FAILED');
    expect(error.exitCode).toBe(7);
    expect(error.message).toContain('https://***@127.0.0.1:9/x.git?access_token=***');
    const everything = `${error.message} ${JSON.stringify(error.toJSON())} ${error.stack}`;
    expect(everything).not.toContain('secret');
    expect(everything).not.toContain('hunter2');
    const missing = await codeOf(
      materializeGitSource(path.join(tmp, 'missing.git'), { cacheDir: freshCache() }),
    );
    expect(missing.code).toBe('GIT_CLONE_FAILED');
  });

  describe('with a remote that stops answering', () => {
    // A fake ssh (git runs it as GIT_SSH_COMMAND) that serves the first request (ls-remote) and hangs on the next (fetch).
    let marker = '';
    beforeAll(() => {
      const script = path.join(tmp, 'fake-ssh');
      marker = path.join(tmp, 'fake-ssh-served');
      writeFileSync(
        script,
        '#!/bin/sh\nif [ -e "$MARK" ]; then touch "$MARK.hanging"; exec sleep 600; fi\n' +
          'touch "$MARK"\nshift $(($# - 1))\neval "git $(printf %s "$1" | cut -c5-)"\n',
      );
      chmodSync(script, 0o755);
      setEnv('GIT_SSH_COMMAND', script);
      setEnv('GIT_SSH_VARIANT', 'simple'); // no `-G` probe: the script gets `host command` only
      setEnv('MARK', marker);
    });
    const reset = (): void => {
      rmSync(marker, { force: true });
      rmSync(`${marker}.hanging`, { force: true });
    };

    it('kills git mid-fetch on abort: ABORTED, and neither a temporary nor a half clone is left', async () => {
      reset();
      const cacheDir = freshCache();
      const controller = new AbortController();
      const pending = materializeGitSource(`ssh://fakehost${bare}`, { cacheDir, signal: controller.signal });
      while (!existsSync(`${marker}.hanging`)) await new Promise((r) => setTimeout(r, 20));
      expect(readdirSync(cacheDir).some((name) => name.includes('.tmp-'))).toBe(true);
      controller.abort();
      const error = await codeOf(pending);
      expect(error.code).toBe('ABORTED');
      expect(readdirSync(cacheDir)).toEqual([]);
    });

    it('ends a stalled command at the timeout with GIT_CLONE_FAILED', async () => {
      reset();
      const cacheDir = freshCache();
      const error = await codeOf(
        materializeGitSource(`ssh://fakehost${bare}`, { cacheDir, timeoutMs: 1_500 }),
      );
      expect(error.code).toBe('GIT_CLONE_FAILED');
      expect(error.message).toContain('timed out');
      expect(readdirSync(cacheDir)).toEqual([]);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const error = await codeOf(
        materializeGitSource(bareUrl, { cacheDir: freshCache(), signal: AbortSignal.abort() }),
      );
      expect(error.code).toBe('ABORTED');
    });
  });
});

describe('redactUrl', () => {
  it('replaces credentials with *** and keeps everything else', () => {
    expect(redactUrl('https://user:pass@host/x.git')).toBe('https://***@host/x.git');
    expect(redactUrl('https://token@github.com/o/x')).toBe('https://***@github.com/o/x');
    expect(redactUrl('http://u:p%40ss@host:8080/x')).toBe('http://***@host:8080/x');
    expect(redactUrl('https://host/x.git?access_token=abc&private_token=def')).toBe(
      'https://host/x.git?access_token=***&private_token=***',
    );
    expect(redactUrl('https://host/x.git#frag')).toBe('https://host/x.git#frag');
    expect(redactUrl('https://host/x.git')).toBe('https://host/x.git');
  });

  it('keeps an ssh user name, which is not a secret, but not an ssh password', () => {
    expect(redactUrl('ssh://git@host/x')).toBe('ssh://git@host/x');
    expect(redactUrl('ssh://git:pw@host:22/x')).toBe('ssh://git:***@host:22/x');
    expect(redactUrl('git@github.com:o/x.git')).toBe('git@github.com:o/x.git');
    expect(redactUrl('git:pw@github.com:o/x.git')).toBe('git:***@github.com:o/x.git');
  });

  it('leaves local paths alone', () => {
    expect(redactUrl('/srv/repos/x.git')).toBe('/srv/repos/x.git');
    expect(redactUrl('../x')).toBe('../x');
  });

  it('scrubs free text of URLs and of literal secrets, however git quoted them', () => {
    const url = 'https://me:s%3Dcret@host/x.git';
    const text = "fatal: unable to access 'https://me:s%3Dcret@host/x.git/': password s=cret rejected";
    const out = redactText(text, url);
    expect(out).toBe("fatal: unable to access 'https://***@host/x.git/': password *** rejected");
  });
});

describe('isGitUrl', () => {
  it('accepts clone URLs and scp-like addresses', () => {
    for (const url of [
      'https://github.com/o/x',
      'http://host/x.git',
      'ssh://git@host/x',
      'git://host/x',
      'file:///srv/x.git',
      'git@github.com:o/x.git',
    ]) {
      expect(isGitUrl(url), url).toBe(true);
    }
  });

  it('rejects local names, other schemes and paths that do not exist', () => {
    for (const arg of [
      'src',
      './x',
      'notes:2024',
      'ftp://host/x',
      'C:\\work\\x',
      path.join(tmp, 'nope.git'),
    ]) {
      expect(isGitUrl(arg), arg).toBe(false);
    }
  });

  it('treats an existing directory as a directory, unless it is a bare repository', () => {
    expect(isGitUrl(work)).toBe(false);
    expect(isGitUrl(bare)).toBe(true);
    const odd = path.join(tmp, 'me@host:dir');
    mkdirSync(odd, { recursive: true });
    expect(isGitUrl(odd)).toBe(false);
  });
});

describe('cacheKeyFor and defaultCacheDir', () => {
  it('names a checkout after the repository and a hash of the credential-free URL', () => {
    const a = cacheKeyFor('https://alice:one@host/o/repo.git');
    expect(a).toMatch(/^repo-[0-9a-f]{16}$/);
    expect(cacheKeyFor('https://bob:two@host/o/repo.git')).toBe(a);
    expect(cacheKeyFor('https://host/o/other.git')).not.toBe(a);
  });

  it('follows GROVE_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ GROVE_CACHE_DIR: '/c' })).toBe(path.resolve('/c/repos'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/grove/repos');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(
      path.join(os.homedir(), '.cache/grove/repos'),
    );
  });
});
