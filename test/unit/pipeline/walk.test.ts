import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { walk } from '../../../src/pipeline/stages/walk.js';
import { collect, errnoError, isRoot, tempDir, writeTree } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const gitRepo = (root: string) => mkdir(path.join(root, '.git', 'info'), { recursive: true });

describe('walk: order and names', () => {
  it('yields files in UTF-8 byte order of the full path, the same on every run', async () => {
    await writeTree(dir, {
      'a.c': '',
      'a/x.c': '',
      'a0.c': '',
      'B.c': '',
      'é.c': '',
      'z/😀.c': '',
      'z/\uffee.c': '',
    });
    const first = await collect(walk(dir));
    expect(first.files).toEqual(['B.c', 'a.c', 'a/x.c', 'a0.c', 'z/\uffee.c', 'z/😀.c', 'é.c']);
    expect((await collect(walk(dir))).files).toEqual(first.files);
  });

  it('puts a listing in walk order whatever order the file system lists it in', async () => {
    await writeTree(dir, { 'a.c': '', 'a/x.c': '', 'a0.c': '', 'B.c': '', 'z/😀.c': '', 'z/\uffee.c': '' });
    const readdir = (p: string) => fs.readdirSync(p, { withFileTypes: true }).reverse();
    const { files } = await collect(walk(dir, { deps: { readdir } }));
    expect(files).toEqual(['B.c', 'a.c', 'a/x.c', 'a0.c', 'z/\uffee.c', 'z/😀.c']);
  });

  it('handles names with spaces, newlines and unicode, and reports stat data', async () => {
    await writeTree(dir, { 'dir with space/ünï 文件.py': 'x = 1\n', 'new\nline.txt': 'abc' });
    const { entries, problems } = await collect(walk(dir));
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.path)).toEqual(['dir with space/ünï 文件.py', 'new\nline.txt']);
    const entry = entries[1]!;
    const st = fs.statSync(path.join(dir, 'new\nline.txt'));
    expect(entry).toEqual({
      path: 'new\nline.txt',
      absPath: path.join(dir, 'new\nline.txt'),
      size: 3,
      mtimeMs: st.mtimeMs,
      ino: st.ino,
      dev: st.dev,
    });
  });

  it('throws ROOT_NOT_FOUND for a missing root or a file', async () => {
    await writeTree(dir, { 'f.c': '' });
    for (const root of [path.join(dir, 'missing'), path.join(dir, 'f.c')]) {
      await expect(collect(walk(root))).rejects.toMatchObject({ code: 'ROOT_NOT_FOUND' });
    }
  });
});

describe('walk: ignore rules', () => {
  it('honours nested .gitignore files with relative anchoring and negation', async () => {
    await gitRepo(dir);
    await writeTree(dir, {
      '.gitignore': '*.log\nbuild/\n',
      'x.log': '',
      'local.txt': '',
      'build/out.c': '',
      'sub/.gitignore': '!keep.log\n/local.txt\n',
      'sub/keep.log': '',
      'sub/other.log': '',
      'sub/local.txt': '',
      'sub/build/y.c': '',
      'sub/deeper/local.txt': '',
      'sub/deeper/z.log': '',
    });
    const { files } = await collect(walk(dir));
    expect(files).toEqual([
      '.gitignore',
      'local.txt',
      'sub/.gitignore',
      'sub/deeper/local.txt',
      'sub/keep.log',
    ]);
  });

  it('honours .git/info/exclude, below .gitignore in precedence', async () => {
    await gitRepo(dir);
    await writeTree(dir, {
      '.git/info/exclude': '*.tmp\nsecret/\n',
      '.gitignore': '!keep.tmp\n',
      'a.tmp': '',
      'keep.tmp': '',
      'secret/s.c': '',
      'main.c': '',
    });
    expect((await collect(walk(dir))).files).toEqual(['.gitignore', 'keep.tmp', 'main.c']);
  });

  it('honours .groveignore at any level, after .gitignore in the same directory', async () => {
    await gitRepo(dir);
    await writeTree(dir, {
      '.gitignore': '*.gen.c\n',
      '.groveignore': 'docs/\n!wanted.gen.c\n',
      'wanted.gen.c': '',
      'other.gen.c': '',
      'docs/readme.md': '',
      'lib/.groveignore': '*.txt\n',
      'lib/a.txt': '',
      'lib/a.c': '',
      'b.txt': '',
    });
    const { files } = await collect(walk(dir));
    expect(files).toEqual([
      '.gitignore',
      '.groveignore',
      'b.txt',
      'lib/.groveignore',
      'lib/a.c',
      'wanted.gen.c',
    ]);
  });

  it('ignores .gitignore outside a git work tree (like ripgrep) but still honours .groveignore', async () => {
    await writeTree(dir, { '.gitignore': '/*\n', '.groveignore': '*.o\n', 'a.c': '', 'a.o': '' });
    expect((await collect(walk(dir))).files).toEqual(['.gitignore', '.groveignore', 'a.c']);
  });

  it('applies the rules of directories between the git top and a root inside the work tree', async () => {
    await gitRepo(dir);
    await writeTree(dir, {
      '.gitignore': 'gen/\n/pkg/skip.c\n',
      '.git/info/exclude': '*.bak\n',
      'pkg/.gitignore': '*.tmp\n',
      'pkg/a.c': '',
      'pkg/skip.c': '',
      'pkg/gen/g.c': '',
      'pkg/x.bak': '',
      'pkg/sub/skip.c': '',
      'pkg/sub/t.tmp': '',
    });
    const { files } = await collect(walk(path.join(dir, 'pkg')));
    expect(files).toEqual(['.gitignore', 'a.c', 'sub/skip.c']);
  });

  it('never enters .git, at the top or nested', async () => {
    await writeTree(dir, {
      '.git/config': '',
      '.git/objects/ab/cd': '',
      'sub/.git': 'gitdir: ../x',
      'sub/a.c': '',
    });
    expect((await collect(walk(dir))).files).toEqual(['sub/a.c']);
  });

  it('applies include and exclude globs; bare patterns match base names at any depth', async () => {
    await writeTree(dir, {
      'src/a.c': '',
      'src/a.h': '',
      'src/app.min.js': '',
      'src/app.js': '',
      'vendor/v.c': '',
      'README.md': '',
    });
    const { files } = await collect(
      walk(dir, { include: ['**/*.c', '**/*.js'], exclude: ['vendor/**', '*.min.js'] }),
    );
    expect(files).toEqual(['src/a.c', 'src/app.js']);
    const excludedDir = await collect(walk(dir, { exclude: ['vendor'] }));
    expect(excludedDir.files).not.toContain('vendor/v.c');
  });

  it('never enters ignoreDirs', async () => {
    await writeTree(dir, { '.grove/index.db': '', 'a.c': '' });
    const { files } = await collect(walk(dir, { ignoreDirs: [path.join(dir, '.grove')] }));
    expect(files).toEqual(['a.c']);
  });
});

describe('walk: links and special files', () => {
  it('reports loops, escapes and broken links, and follows links inside the root', async () => {
    await writeTree(dir, { 'real/r.c': '', 'top.c': '' });
    await symlink('..', path.join(dir, 'real', 'up'));
    await symlink('real', path.join(dir, 'alias'));
    await symlink('real', path.join(dir, 'zz-again'));
    await symlink('top.c', path.join(dir, 'top-link.c'));
    await symlink('/', path.join(dir, 'escape'));
    await symlink('nowhere', path.join(dir, 'broken'));
    await symlink('self-loop', path.join(dir, 'self-loop'));
    const { files, problems } = await collect(walk(dir));
    expect(files).toEqual(['alias/r.c', 'real/r.c', 'top-link.c', 'top.c']);
    expect(problems).toEqual([
      { path: 'alias/up', state: 'skipped', reason: 'symlink-loop' },
      { path: 'broken', state: 'skipped', reason: 'broken-symlink' },
      { path: 'escape', state: 'skipped', reason: 'symlink-outside-root' },
      { path: 'real/up', state: 'skipped', reason: 'symlink-loop' },
      { path: 'self-loop', state: 'skipped', reason: 'symlink-loop' },
      { path: 'zz-again', state: 'skipped', reason: 'symlink-duplicate' },
    ]);
  });

  it('walks a lattice of links to walked directories once, not exponentially', async () => {
    // Each level links to the previous one ten times: followed naively, 10^4 copies of l0.
    await writeTree(dir, { 'l0/f.c': '' });
    for (let level = 1; level <= 4; level++) {
      await mkdir(path.join(dir, `l${level}`));
      for (let i = 0; i < 10; i++) await symlink(`../l${level - 1}`, path.join(dir, `l${level}`, `to${i}`));
    }
    const { files, problems } = await collect(walk(dir));
    expect(files).toEqual(['l0/f.c']);
    expect(problems).toHaveLength(40);
    expect(new Set(problems.map((p) => p.reason))).toEqual(new Set(['symlink-duplicate']));
  });

  it('skips a real directory that is its own ancestor (a bind mount), seen through an injected stat', async () => {
    await writeTree(dir, { 'mnt/a.c': '', 'b.c': '' });
    const stat = (p: string) => fs.statSync(p.endsWith('/mnt') ? dir : p);
    const { files, problems } = await collect(walk(dir, { deps: { stat } }));
    expect(files).toEqual(['b.c']);
    expect(problems).toEqual([{ path: 'mnt', state: 'skipped', reason: 'mount-loop' }]);
  });

  it('skips fifos as not-a-regular-file', async () => {
    await writeTree(dir, { 'a.c': '' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    const { files, problems } = await collect(walk(dir));
    expect(files).toEqual(['a.c']);
    expect(problems).toEqual([{ path: 'pipe', state: 'skipped', reason: 'not-a-regular-file' }]);
  });
});

describe('walk: failures are data', () => {
  it('records an unreadable directory (chmod 000) and goes on', async () => {
    await writeTree(dir, { 'locked/a.c': '', 'open/b.c': '' });
    await chmod(path.join(dir, 'locked'), 0o000);
    const { files, problems } = await collect(walk(dir));
    if (isRoot) {
      // Root reads through permissions: the directory is simply walked.
      expect(files).toEqual(['locked/a.c', 'open/b.c']);
      expect(problems).toEqual([]);
    } else {
      expect(files).toEqual(['open/b.c']);
      expect(problems).toMatchObject([
        { path: 'locked', state: 'failed', reason: 'unreadable', error: { code: 'FILE_UNREADABLE' } },
      ]);
    }
  });

  it('records an injected EACCES on readdir and an injected stat failure, and goes on', async () => {
    await writeTree(dir, { 'locked/a.c': '', 'gone.c': '', 'denied.c': '', 'z.c': '' });
    const deps = {
      readdir: (p: string) => {
        if (p.endsWith('/locked')) throw errnoError('EACCES', 'scandir', p);
        return fs.readdirSync(p, { withFileTypes: true });
      },
      stat: (p: string) => {
        if (p.endsWith('/gone.c')) throw errnoError('ENOENT', 'stat', p);
        if (p.endsWith('/denied.c')) throw errnoError('EACCES', 'stat', p);
        return fs.statSync(p);
      },
    };
    const { files, problems } = await collect(walk(dir, { deps }));
    expect(files).toEqual(['z.c']);
    expect(problems).toMatchObject([
      { path: 'denied.c', state: 'failed', reason: 'unreadable', error: { code: 'FILE_UNREADABLE' } },
      { path: 'gone.c', state: 'failed', reason: 'vanished', error: { code: 'FILE_VANISHED' } },
      { path: 'locked', state: 'failed', reason: 'unreadable', error: { code: 'FILE_UNREADABLE' } },
    ]);
  });

  it('retries transient errors (EMFILE, EAGAIN) of readdir and stat, and records one that persists', async () => {
    await writeTree(dir, { 'lib/a.c': '', 'lib/b.c': '', 'busy/c.c': '', 'z.c': '' });
    const calls = new Map<string, number>();
    const count = (key: string) => {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return calls.get(key) ?? 0;
    };
    const deps = {
      readdir: (p: string) => {
        if (p.endsWith('/lib') && count('readdir lib') < 3) throw errnoError('EMFILE', 'scandir', p);
        if (p.endsWith('/busy') && count('readdir busy') > 0) throw errnoError('EBUSY', 'scandir', p);
        return fs.readdirSync(p, { withFileTypes: true });
      },
      stat: (p: string) => {
        if (p.endsWith('/z.c') && count('stat z.c') < 2) throw errnoError('EAGAIN', 'stat', p);
        return fs.statSync(p);
      },
    };
    const { files, problems } = await collect(walk(dir, { deps }));
    expect(files).toEqual(['lib/a.c', 'lib/b.c', 'z.c']);
    expect(calls.get('readdir lib')).toBe(3);
    expect(calls.get('stat z.c')).toBe(2);
    // Three tries in all, then the directory is recorded as unreadable.
    expect(calls.get('readdir busy')).toBe(3);
    expect(problems).toMatchObject([{ path: 'busy', state: 'failed', reason: 'unreadable' }]);
  });

  it('reports directories deeper than maxDepth as FILE_TOO_DEEP', async () => {
    await writeTree(dir, { 'a/b/c/d.c': '', 'a/top.c': '' });
    const { files, problems } = await collect(walk(dir, { maxDepth: 2 }));
    expect(files).toEqual(['a/top.c']);
    expect(problems).toMatchObject([
      { path: 'a/b/c', state: 'failed', reason: 'too-deep', error: { code: 'FILE_TOO_DEEP' } },
    ]);
  });

  it('stops promptly with ABORTED when the signal fires', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`d${i % 10}/f${i}.c`] = '';
    await writeTree(dir, files);
    const controller = new AbortController();
    let seen = 0;
    const run = async () => {
      for await (const _ of walk(dir, { signal: controller.signal })) {
        if (++seen === 5) controller.abort();
      }
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GroveError);
    expect((error as GroveError).code).toBe('ABORTED');
    expect(seen).toBe(5);
  });
});

describe('walk: onExcluded says what was left out and by which rule', () => {
  it('names the rule file that decided, the exclude glob, the index directory and .git', async () => {
    await gitRepo(dir);
    await writeTree(dir, {
      '.git/info/exclude': '*.bak\n',
      '.gitignore': '*.log\nbuild/\n',
      '.groveignore': '*.tmp\n',
      'a.c': '',
      'a.bak': '',
      'build/out.c': '',
      'gen/g.c': '',
      'idx/index.db': '',
      'sub/.gitignore': '!keep.log\n',
      'sub/.groveignore': 'keep.log\n',
      'sub/keep.log': '',
      'sub/x.tmp': '',
      'sub/y.log': '',
      'z.gen.c': '',
    });
    const excluded: [string, string][] = [];
    const options = { exclude: ['gen', '*.gen.c'], ignoreDirs: [path.join(dir, 'idx')] };
    const onExcluded = (rel: string, reason: string) => excluded.push([rel, reason]);
    const { files } = await collect(walk(dir, { ...options, onExcluded }));
    expect(excluded).toEqual([
      ['.git/', '.git'],
      ['a.bak', '.git/info/exclude'],
      ['build/', '.gitignore'],
      ['gen/', '--exclude'],
      ['idx/', 'index directory'],
      // sub/.gitignore re-includes keep.log, sub/.groveignore (later in precedence) ignores it again.
      ['sub/keep.log', '.groveignore'],
      ['sub/x.tmp', '.groveignore'],
      ['sub/y.log', '.gitignore'],
      ['z.gen.c', '--exclude'],
    ]);
    // The callback changes nothing about what is walked.
    expect(files).toEqual((await collect(walk(dir, options))).files);
    expect(files).toEqual(['.gitignore', '.groveignore', 'a.c', 'sub/.gitignore', 'sub/.groveignore']);
  });

  it('names the rule files of directories above a root inside a work tree', async () => {
    await gitRepo(dir);
    await writeTree(dir, {
      '.gitignore': 'gen/\n',
      '.git/info/exclude': '*.bak\n',
      'pkg/a.c': '',
      'pkg/gen/g.c': '',
      'pkg/x.bak': '',
    });
    const excluded: [string, string][] = [];
    await collect(walk(path.join(dir, 'pkg'), { onExcluded: (rel, reason) => excluded.push([rel, reason]) }));
    expect(excluded).toEqual([
      ['gen/', '.gitignore'],
      ['x.bak', '.git/info/exclude'],
    ]);
  });
});
