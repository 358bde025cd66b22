// Re-indexing benchmark: after a full index, (1) a run with nothing changed against `git ls-files` plus a
// stat of every file, (2) a run after touching 100 files, changing 10 and deleting 5. The corpus is
// restored afterwards (changed files rewritten, deleted ones put back, touched mtimes restored).
//   npm run build && node bench/reindex-corpus.js [linux|cpython|effect] [--index DIR] [--runs 3]
//     [--cpu-prof DIR]   also write V8 CPU profiles of an extra unchanged run and of the edited run
//                        (the edited run's time then includes the profiler's overhead)
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure } from './measure-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const grove = join(here, '../bin/grove.js');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    index: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'max-memory': { type: 'string', default: '256M' },
    'cpu-prof': { type: 'string' },
  },
});
const name = positionals[0] ?? 'linux';
const runs = Number(values.runs);
const root = execFileSync('bash', [join(here, '../../shared/corpus/get.sh'), name], {
  encoding: 'utf8',
}).trim();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const indexDir = values.index ?? mkdtempSync(join(tmpdir(), `grove-reindex-${name}-`));
const summaryOf = (run) => JSON.parse(run.stdout.trim().split('\n').at(-1));
// Profiled runs start node as grove's shebang does (its env and V8 flags), plus --cpu-prof, which
// NODE_OPTIONS does not allow.
const shebang = readFileSync(grove, 'utf8')
  .split('\n')[0]
  .replace(/^#!\/usr\/bin\/env -S /, '')
  .split(' ');
const groveIndex = (profileName) => {
  const args = ['index', root, '--index', indexDir, '--json', '--max-memory', values['max-memory']];
  if (!profileName || !values['cpu-prof']) return measure(grove, args);
  const profile = ['--cpu-prof', `--cpu-prof-dir=${join(values['cpu-prof'], profileName)}`];
  return measure('env', [...shebang, ...profile, grove, ...args]);
};

// A git index of the corpus kept outside it (the corpus's own .gitignore would hide most files from git).
const gitDir = `${root}.git`;
const git = (args, opts = {}) =>
  execFileSync('git', ['--git-dir', gitDir, '--work-tree', root, ...args], { maxBuffer: 1 << 30, ...opts });
if (!existsSync(gitDir)) {
  execFileSync('git', ['init', '-q', '--bare', gitDir]);
  git(['-c', 'core.excludesFile=/dev/null', 'add', '-f', '-A', '.'], { stdio: 'ignore' });
}

if (!existsSync(join(indexDir, 'index.db'))) {
  const first = await groveIndex();
  console.log(
    JSON.stringify({
      step: 'full',
      wallMs: Math.round(first.wallMs),
      peakRssMiB: +(first.peakRssBytes / 1048576).toFixed(1),
    }),
  );
}
await groveIndex(); // settle: a second run commits nothing when nothing changed

const baseline = [];
const unchanged = [];
let unchangedSummary;
for (let r = 0; r < runs; r++) {
  const lsStat = await measure(
    'bash',
    ['-c', `git --git-dir '${gitDir}' --work-tree '${root}' ls-files -z | xargs -0 stat -c %s > /dev/null`],
    { cwd: root },
  );
  baseline.push(lsStat.wallMs);
  const run = await groveIndex();
  unchanged.push(run.wallMs);
  unchangedSummary = summaryOf(run);
}

if (values['cpu-prof']) await groveIndex('unchanged'); // apart from the timed runs: profiling slows them

// The edit: 100 touched, 10 changed, 5 deleted, spread over the tree, deterministic.
const files = git(['ls-files'], { encoding: 'utf8' })
  .split('\n')
  .filter((p) => /\.(c|h)$/.test(p));
const pick = (count, offset) =>
  Array.from({ length: count }, (_, i) => files[(offset + i * 7919) % files.length]);
const touched = pick(100, 11);
const changed = pick(10, 5003);
const deleted = pick(5, 9001);
const saved = new Map();
const aside = mkdtempSync(join(tmpdir(), 'grove-reindex-aside-'));
try {
  for (const path of touched) {
    const abs = join(root, path);
    saved.set(path, statSync(abs));
    const now = new Date();
    utimesSync(abs, now, now);
  }
  for (const path of changed) {
    const abs = join(root, path);
    saved.set(`content:${path}`, readFileSync(abs));
    writeFileSync(
      abs,
      `${readFileSync(abs, 'utf8')}\nint grove_bench_added_${path.length}(void) { return 0; }\n`,
    );
  }
  for (const [i, path] of deleted.entries()) renameSync(join(root, path), join(aside, String(i)));
  const edited = await groveIndex('edited');
  const editedSummary = summaryOf(edited);
  console.log(
    JSON.stringify({
      corpus: name,
      files: unchangedSummary.run.filesSeen,
      gitLsFilesPlusStatMs: Math.round(median(baseline)),
      unchangedReindexMs: Math.round(median(unchanged)),
      ratioUnchangedToBaseline: +(median(unchanged) / median(baseline)).toFixed(2),
      unchangedPeakRssMiB: +(unchangedSummary.peakRssBytes / 1048576).toFixed(1),
      unchangedParsed: unchangedSummary.run.parsed,
      editedReindexMs: Math.round(edited.wallMs),
      editedProfiled: Boolean(values['cpu-prof']),
      editedPeakRssMiB: +(edited.peakRssBytes / 1048576).toFixed(1),
      editedRun: editedSummary.run,
    }),
  );
} finally {
  for (const [i, path] of deleted.entries())
    if (existsSync(join(aside, String(i)))) renameSync(join(aside, String(i)), join(root, path));
  for (const path of changed) writeFileSync(join(root, path), saved.get(`content:${path}`));
  for (const path of touched) {
    const stat = saved.get(path);
    utimesSync(join(root, path), stat.atime, stat.mtime);
  }
  rmSync(aside, { recursive: true, force: true });
  if (!values.index) rmSync(indexDir, { recursive: true, force: true });
}
