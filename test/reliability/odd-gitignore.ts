/**
 * `.gitignore` files with odd rules (escapes, negations, anchors, `**`, character classes, trailing
 * spaces, CRLF line ends, a re-include under an excluded directory) and files that probe each rule.
 * Which of them are ignored is decided by git itself (`gitIgnored`), the oracle grove must agree with.
 */
import { execFileSync } from 'node:child_process';

export const ODD_GITIGNORE = [
  '# a comment line, then blank and whitespace-only lines',
  '',
  '   ',
  '\\#not-a-comment.c',
  '\\!bang.c',
  '*.tmp',
  '!important.tmp',
  'build/',
  '/anchored.c',
  '**/deep/**/gen-*.c',
  'escaped-trailing-space.c\\ ',
  'unescaped-trailing-space.c   ',
  'spaces in name.py',
  '[abc]-class.c',
  '*.[oa]',
  '!keep.o',
  'docs/**/*.md',
  'excluded-dir/',
  '!excluded-dir/rescued.c',
  'some/*',
  '!some/kept.c',
  'star*middle.js',
  '?.q',
  '\\[literal].c',
].join('\n');

/** Probes under `odd/`: every rule above, from both sides. */
export const ODD_FILES = [
  '#not-a-comment.c',
  '!bang.c',
  'a.tmp',
  'important.tmp',
  'build/out.c',
  'nested/build/out.c',
  'build.c',
  'anchored.c',
  'nested/anchored.c',
  'x/deep/gen-1.c',
  'x/deep/y/z/gen-2.c',
  'deep/gen-3.c',
  'x/deep/keep.c',
  'escaped-trailing-space.c ',
  'escaped-trailing-space.c',
  'unescaped-trailing-space.c',
  'spaces in name.py',
  'a-class.c',
  'd-class.c',
  'lib.o',
  'lib.a',
  'keep.o',
  'docs/readme.md',
  'docs/a/b/c.md',
  'docs/a/b/c.txt',
  'excluded-dir/rescued.c',
  'excluded-dir/other.c',
  'some/dropped.c',
  'some/kept.c',
  'starXYZmiddle.js',
  'star/middle.js',
  'q.q',
  'qq.q',
  '[literal].c',
  'l.c',
];

/** A nested `.gitignore` with CRLF line ends: git strips the CR, so `*.crlf` still matches. */
export const CRLF_GITIGNORE = '*.crlf\r\n!keep.crlf\r\n';
export const CRLF_FILES = ['a.crlf', 'keep.crlf', 'b.txt'];

/** The subset of `paths` (relative to `repo`, no symlinks on the way) that git ignores. */
export function gitIgnored(repo: string, paths: string[]): Set<string> {
  let out = '';
  try {
    out = execFileSync('git', ['-C', repo, 'check-ignore', '--no-index', '-z', '--stdin'], {
      input: `${paths.join('\0')}\0`,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Exit 1: none of the paths is ignored. Anything else is a broken oracle.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  return new Set(out.split('\0').filter((path) => path !== ''));
}
