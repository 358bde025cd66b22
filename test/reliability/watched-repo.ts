/**
 * A git repository whose files import and call each other (TypeScript modules, C headers and sources,
 * Python packages), so the reference graph has cross-file edges to get right, with a second branch that
 * differs in hundreds of files; and seeded edits of it as a watching daemon sees them: writes, rewrites
 * that change or keep defined names, renames of files and directories, deletions and branch switches.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MODULES = 80;
/** Files that differ between the two branches: a branch switch rewrites, adds and deletes this many. */
const BRANCH_FILES = 400;

const pickIndex = (random: () => number, count: number) => Math.floor(random() * count);

function tsModule(name: string, uses: number[]): string {
  const imports = uses.map((j) => `import { tsFn${j} } from './mod${j}';`).join('\n');
  const calls = uses.map((j) => `tsFn${j}(x)`).join(' + ') || 'x';
  return `${imports}\n\nexport function ${name}(x: number): number {\n  return ${calls};\n}\n`;
}

function cSource(name: string, uses: number[]): string {
  const includes = uses.map((j) => `#include "util${j}.h"`).join('\n');
  const calls = uses.map((j) => `  total += util${j}_op(total);`).join('\n');
  return `${includes}\n\nint ${name}(int total) {\n${calls}\n  return total;\n}\n`;
}

function pyModule(name: string, uses: number[]): string {
  const imports = uses.map((j) => `from pkg.mod${j} import py_fn${j}`).join('\n');
  const calls = uses.map((j) => `py_fn${j}(value)`).join(' + ') || 'value';
  return `${imports}\n\n\ndef ${name}(value):\n    return ${calls}\n`;
}

/** Two or three earlier modules for module `i` to use (earlier only: no import cycles to wonder about). */
function usesOf(random: () => number, i: number): number[] {
  if (i === 0) return [];
  return [...new Set(Array.from({ length: 1 + pickIndex(random, 3) }, () => pickIndex(random, i)))];
}

function writeModules(root: string, random: () => number, from: number, to: number, tag: string): void {
  for (let i = from; i < to; i++) {
    const uses = usesOf(random, i);
    write(root, `web/mod${i}.ts`, tsModule(`tsFn${i}`, uses));
    write(root, `lib/util${i}.h`, `int util${i}_op(int value);\n`);
    write(
      root,
      `lib/util${i}.c`,
      cSource(
        `util${i}_op`,
        uses.filter((j) => j < i),
      ),
    );
    write(root, `src/user${i}${tag}.c`, cSource(`user${i}_main`, uses));
    write(root, `py/pkg/mod${i}.py`, pyModule(`py_fn${i}`, uses));
  }
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function git(root: string, ...args: string[]): void {
  execFileSync('git', ['-C', root, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args], {
    stdio: 'ignore',
  });
}

/** Writes the repository and commits branches `main` and `other` (checked out: `main`). */
export function writeWatchedRepo(root: string, random: () => number): void {
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  // The daemon's index lives in .grove/: a checkout must never touch it.
  writeFileSync(join(root, '.git/info/exclude'), '.grove/\n');
  write(root, 'py/pkg/__init__.py', '');
  writeModules(root, random, 0, MODULES, '');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'main');
  git(root, 'checkout', '-qb', 'other');
  // Rewritten modules (new uses), renamed user sources (a tag), and a package only this branch has.
  writeModules(root, random, MODULES / 2, MODULES, '_b');
  for (let i = MODULES / 2; i < MODULES; i++) rmSync(join(root, `src/user${i}.c`));
  for (let i = 0; i < BRANCH_FILES - (MODULES / 2) * 5; i++) {
    write(root, `feature/part${i}.ts`, tsModule(`featureFn${i}`, [pickIndex(random, MODULES)]));
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'other');
  git(root, 'checkout', '-q', 'main');
}

export type EditKind = 'write' | 'rewrite' | 'rename' | 'rename-dir' | 'delete' | 'switch';

/** Files under `dir` (relative to root), sorted: the edits pick from them reproducibly. */
function filesUnder(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

/**
 * Makes one seeded edit and says what it did. `serial` keeps new names unique across edits. A branch
 * switch (`git checkout -f`: local edits are dropped, untracked files stay) rewrites hundreds of files.
 */
export async function editWatchedRepo(
  root: string,
  random: () => number,
  kind: EditKind,
  serial: number,
): Promise<string> {
  const files = ['web', 'lib', 'src', 'py/pkg', 'feature', 'moved'].flatMap((dir) => filesUnder(root, dir));
  const existing = files[pickIndex(random, files.length)];
  const uses = [pickIndex(random, MODULES), pickIndex(random, MODULES)];
  switch (kind) {
    case 'switch': {
      const branch = existsSync(join(root, 'feature')) && random() < 0.9 ? 'main' : 'other';
      await run('git', ['-C', root, 'checkout', '-qf', branch]);
      return `switch to ${branch}`;
    }
    case 'write':
      write(root, `web/edit${serial}.ts`, tsModule(`editFn${serial}`, uses));
      write(root, `src/edit${serial}.c`, cSource(`edit${serial}_main`, uses));
      return `write web/edit${serial}.ts, src/edit${serial}.c`;
    case 'rename-dir': {
      const dir = ['web', 'lib', 'feature', 'moved'].find(
        (name) => existsSync(join(root, name)) && random() < 0.5,
      );
      if (!dir) return 'rename-dir: none';
      renameSync(join(root, dir), join(root, `${dir}${serial}`));
      return `rename-dir ${dir} -> ${dir}${serial}`;
    }
    default:
      break;
  }
  if (existing === undefined) return `${kind}: no file`;
  if (kind === 'delete') rmSync(join(root, existing));
  else if (kind === 'rename') {
    mkdirSync(join(root, 'moved'), { recursive: true });
    renameSync(join(root, existing), join(root, 'moved', `${serial}-${existing.split('/').pop()}`));
  } else {
    // A rewrite keeps the file's language; half of them change the names it defines.
    const name = random() < 0.5 ? `renamed${serial}` : 'kept';
    const text = existing.endsWith('.py')
      ? pyModule(`py_${name}`, uses)
      : existing.endsWith('.ts')
        ? tsModule(`ts_${name}`, uses)
        : cSource(`c_${name}`, uses);
    writeFileSync(join(root, existing), text);
  }
  return `${kind} ${existing}`;
}
