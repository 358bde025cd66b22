/**
 * The seeded hostile-repository generator. It extends the small hostile fixture (test/fixtures/hostile.ts)
 * with every kind of input issue 6 lists, at the sizes of `SCALE`, and says which paths grove must
 * record: `expected` (a row each, once git's verdict on the odd ignore rules is applied to `probed`) and
 * `churn` (rewritten and deleted while indexing, see churn.ts). Nothing big is ever held in memory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeHostileRepo } from '../fixtures/hostile.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { deepSyntax, encodingCases, minifiedBundle, writeGiantText } from './hostile-content.js';
import { CRLF_FILES, CRLF_GITIGNORE, ODD_FILES, ODD_GITIGNORE } from './odd-gitignore.js';

export interface HostileShape {
  giantFileBytes: number;
  bigLineBytes: number;
  tinyFiles: number;
  nestingDepth: number;
  directoryDepth: number;
  minifiedBytes: number;
}

export interface HostileRepo {
  /** Paths that must each end as exactly one row (files, links, unreadable or too-deep directories). */
  expected: string[];
  /** Paths whose ignore verdict comes from git (odd rules); those git does not ignore join `expected`. */
  probed: string[];
  /** Paths the churn may rewrite or delete during the run. */
  churn: string[];
  /** The giant text file, and its exact size. */
  giant: { path: string; bytes: number };
  /** The directory nested past grove's walk depth (a failed row), when the shape nests that deep. */
  tooDeep: string | null;
}

/** grove walks this many directory levels (walk.ts DEFAULT_MAX_DEPTH); one level more is a failed row. */
export const WALK_MAX_DEPTH = 256;

export async function generateHostileRepo(
  dir: string,
  shape: HostileShape,
  seed: number,
): Promise<HostileRepo> {
  const random = seededRandom(seed);
  execFileSync('git', ['init', '-q', dir]);
  const expected = await makeHostileRepo(dir, { bigLineBytes: shape.bigLineBytes });
  const probed = expected.splice(0, expected.length).filter((rel) => !rel.includes('/.gitignore'));
  expected.push('sub/.gitignore');
  const file = (rel: string, content: string | Uint8Array, list: string[] = expected) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
    list.push(rel);
  };
  const link = (target: string, rel: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    symlinkSync(target, path.join(dir, rel));
    expected.push(rel);
  };

  for (const [rel, bytes] of Object.entries(encodingCases(random))) file(rel, bytes);
  for (const ext of ['c', 'py', 'ts', 'go', 'rs', 'java', 'txt', 'json', 'min.js'])
    file(`empty/empty.${ext}`, '');
  file('empty/only-newline.c', '\n');
  file('empty/only-bom.py', Buffer.from([0xef, 0xbb, 0xbf]));

  for (const language of ['c', 'js', 'py', 'json', 'rs'] as const) {
    file(`nest/deep-syntax.${language}`, deepSyntax(language, shape.nestingDepth));
  }
  file('min/bundle.min.js', minifiedBundle(shape.minifiedBytes, random));
  file('min/app.js', minifiedBundle(shape.minifiedBytes, random));
  file('min/app.js.map', `{"version":3,"mappings":"${'AAAA,CAAC;'.repeat(shape.minifiedBytes / 10)}"}`);
  file('node_modules/dep/index.js', 'module.exports = function dep() { return 1; };\n');

  const giant = { path: 'huge/giant.c', bytes: 0 };
  mkdirSync(path.join(dir, 'huge'));
  giant.bytes = writeGiantText(path.join(dir, giant.path), shape.giantFileBytes);
  expected.push(giant.path);

  const names = [
    ' leading space.c',
    'trailing space.c ',
    '-rf.c',
    'tab\tname.py',
    'new\nline.c',
    'back\\slash.js',
    'glob*?[x].ts',
    'quote"\'.go',
    'café-nfc.py',
    'cafe\u0301-nfd.py',
    '日本語のファイル.rs',
    '🌳🔥.java',
    `${'long'.repeat(60)}.c`,
    '.hidden.c',
    '#hash.c',
    '!bang.c',
  ];
  for (const [i, name] of names.entries()) file(`names/${name}`, `int name_${i}(void) { return ${i}; }\n`);

  file('odd/.gitignore', ODD_GITIGNORE);
  for (const rel of ODD_FILES) file(`odd/${rel}`, `int probe(void) { return ${rel.length}; }\n`, probed);
  file('odd/crlf/.gitignore', CRLF_GITIGNORE);
  for (const rel of CRLF_FILES) file(`odd/crlf/${rel}`, 'x\n', probed);

  // Links: a file-level loop, links inside the root to a file and to a directory, escapes of every kind.
  link('chain-b', 'links/chain-a');
  link('chain-a', 'links/chain-b');
  link('../src/main.c', 'links/to-main.c');
  // A link to a directory inside the root is walked like the directory: its files get rows, it does not.
  symlinkSync('../src', path.join(dir, 'links/src-alias'));
  expected.push('links/src-alias/main.c');
  link('/', 'links/to-filesystem-root');
  link('../../../../../../../../etc', 'links/relative-escape');
  link('../links', 'links/self-parent');

  const fifo = path.join(dir, 'special/fifo');
  mkdirSync(path.dirname(fifo));
  execFileSync('mkfifo', [fifo]);
  expected.push('special/fifo');

  // Unreadable: a file, a write-only file and a directory (their contents are never seen).
  file('locked/secret.py', 'password = "x"\n');
  file('locked/write-only.c', 'int w;\n');
  file('locked/dir/inside.c', 'int hidden;\n', []);
  expected.push('locked/dir');
  chmodSync(path.join(dir, 'locked/secret.py'), 0o000);
  chmodSync(path.join(dir, 'locked/write-only.c'), 0o200);
  chmodSync(path.join(dir, 'locked/dir'), 0o000);

  const tooDeep = makeDeepDirectories(dir, shape.directoryDepth, expected);

  const tiny = path.join(dir, 'tiny');
  mkdirSync(tiny);
  const extensions = ['c', 'py', 'js', 'txt', 'go', 'h'];
  for (let i = 0; i < shape.tinyFiles; i++) {
    const ext = extensions[i % extensions.length]!;
    writeFileSync(path.join(tiny, `f${i}.${ext}`), i % 50 === 0 ? '' : `t${i}\n`);
    expected.push(`tiny/f${i}.${ext}`);
  }

  const churn: string[] = [];
  for (let i = 0; i < 24; i++) file(`churn/file-${i}.${i % 2 ? 'c' : 'txt'}`, `int churn_${i};\n`, churn);
  return { expected, probed, churn, giant, tooDeep };
}

/**
 * A chain of `depth` nested directories with a file at a depth grove walks and one below it. Built by a
 * child Node walking down with relative `chdir`s: the full path of a 10k-deep tree is far beyond PATH_MAX,
 * and relative system calls never see it (shells keep $PWD and give up first).
 */
function makeDeepDirectories(dir: string, depth: number, expected: string[]): string | null {
  const script = `const fs = require('node:fs');
for (let i = 1; i <= ${depth}; i++) {
  fs.mkdirSync('d');
  process.chdir('d');
  if (i === 100) fs.writeFileSync('mid.c', 'int mid;\\n');
}
fs.writeFileSync('bottom.c', 'int bottom;\\n');`;
  execFileSync(process.execPath, ['-e', script], { cwd: dir });
  const chain = (levels: number) => Array.from({ length: levels }, () => 'd').join('/');
  if (depth >= 100) expected.push(`${chain(100)}/mid.c`);
  if (depth <= WALK_MAX_DEPTH) {
    expected.push(`${chain(depth)}/bottom.c`);
    return null;
  }
  const tooDeep = chain(WALK_MAX_DEPTH + 1);
  expected.push(tooDeep);
  return tooDeep;
}
