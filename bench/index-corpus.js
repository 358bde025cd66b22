// grove's indexing benchmark on real corpora, side by side with ctags in the same run.
//   npm run bench [-- linux cpython effect] [--max-memory 256M] [--runs 1]
// Prints, per corpus: wall, files/s, MB/s, peak RSS of the process tree, files by state, symbols, chunks,
// the parse floor (tree-sitter parse time / cores) and the ratios grove/ctags and grove/floor.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure } from './measure-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'max-memory': { type: 'string', default: '256M' },
    runs: { type: 'string', default: '1' },
    // Keep the last run's index as <dir>/<corpus> (for bench/reindex-corpus.js --index).
    'keep-index': { type: 'string' },
  },
});
const corpora = positionals.length ? positionals : ['linux', 'cpython', 'effect'];
const runs = Number(values.runs);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function corpusPath(name) {
  return execFileSync('bash', [join(here, '../../shared/corpus/get.sh'), name], { encoding: 'utf8' }).trim();
}

function ensureCtags() {
  try {
    execFileSync('ctags', ['--version'], { stdio: 'ignore' });
  } catch {
    execFileSync(
      'bash',
      ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq universal-ctags'],
      { stdio: 'inherit' },
    );
  }
}

ensureCtags();
const report = [];
for (const name of corpora) {
  const root = corpusPath(name);
  const work = mkdtempSync(join(tmpdir(), `grove-bench-${name}-`));
  const groveRuns = [];
  const ctagsRuns = [];
  let summary;
  for (let r = 0; r < runs; r++) {
    rmSync(join(work, 'index'), { recursive: true, force: true });
    // Started as users start it, through its shebang: its V8 flags and MALLOC_ARENA_MAX are part of
    // what is measured.
    const grove = await measure(join(here, '../bin/grove.js'), [
      'index',
      root,
      '--index',
      join(work, 'index'),
      '--json',
      '--max-memory',
      values['max-memory'],
    ]);
    if (grove.code !== 0 && grove.code !== 1)
      throw new Error(`grove failed on ${name}: ${grove.stderr.slice(-2000)}`);
    summary = JSON.parse(grove.stdout.trim().split('\n').at(-1));
    groveRuns.push(grove);
    const ctags = await measure('ctags', ['-R', '-f', join(work, 'tags'), root]);
    ctagsRuns.push(ctags);
  }
  const floor = JSON.parse(
    execFileSync(
      process.execPath,
      [
        join(here, 'parse-floor-corpus.js'),
        root,
        join(work, 'index', 'index.db'),
        String(availableParallelism()),
      ],
      { encoding: 'utf8', maxBuffer: 1e7 },
    ).trim(),
  );
  const groveWall = median(groveRuns.map((r) => r.wallMs));
  const ctagsWall = median(ctagsRuns.map((r) => r.wallMs));
  const filesSeen = summary.run.filesSeen;
  const row = {
    corpus: name,
    maxMemory: values['max-memory'],
    groveWallMs: Math.round(groveWall),
    grovePeakRssMiB: Number(mib(Math.max(...groveRuns.map((r) => r.peakRssBytes)))),
    groveReportedPeakRssMiB: Number(mib(summary.peakRssBytes)),
    filesPerSec: Math.round(filesSeen / (groveWall / 1000)),
    mbPerSec: Number((summary.bytes / 1024 / 1024 / (groveWall / 1000)).toFixed(1)),
    files: summary.files,
    symbols: summary.symbols,
    chunks: summary.chunks,
    workerRecycles: summary.run.workerRecycles,
    pressureChanges: summary.run.pressureChanges,
    ctagsWallMs: Math.round(ctagsWall),
    ctagsPeakRssMiB: Number(mib(Math.max(...ctagsRuns.map((r) => r.peakRssBytes)))),
    parseFloorMs: floor.floorMs,
    parsedMiB: Number(mib(floor.bytes)),
    ratioGroveToCtags: Number((groveWall / ctagsWall).toFixed(2)),
    ratioGroveToFloor: Number((groveWall / floor.floorMs).toFixed(2)),
  };
  report.push(row);
  console.log(JSON.stringify(row));
  if (values['keep-index']) {
    const kept = join(values['keep-index'], name);
    rmSync(kept, { recursive: true, force: true });
    mkdirSync(values['keep-index'], { recursive: true });
    renameSync(join(work, 'index'), kept);
  }
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', `index-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);
console.table(
  report.map(({ files, ...rest }) => ({
    ...rest,
    indexed: files.indexed,
    textOnly: files.textOnly,
    skipped: files.skipped,
    failed: files.failed,
  })),
);
