/**
 * The seeded hostile repository through the real CLI under `--max-memory 256M`, with files rewritten and
 * deleted during the run: every path ends as exactly one row with a state and a reason, ignore rules agree
 * with git, the run exits 0 or 1 without a stack trace, peak RSS stays under the budget, and the giant file
 * is indexed as text to its last line. When the suite runs as root, grove runs without root's power to
 * ignore permission bits (run-grove.ts), so that unreadable files really are unreadable.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryEvent } from '../../src/pipeline/index-events.js';
import { Store } from '../../src/store/store.js';
import { ndjson, runGrove } from '../helpers/run-grove.js';
import { type ChurnStats, startChurn } from './churn.js';
import { GIANT_TAIL_TOKEN } from './hostile-content.js';
import { generateHostileRepo, type HostileRepo } from './hostile-generator.js';
import { gitIgnored } from './odd-gitignore.js';
import { report, SCALE, SEED } from './scale.js';

const MIB = 1024 * 1024;
const BUDGET_MIB = 256;
const STATES = ['indexed', 'text-only', 'skipped', 'failed'];

let dir: string;
let repo: HostileRepo;
let mustHaveRow: Set<string>;
let ignoredByGit: Set<string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-hostile-rel-'));
  repo = await generateHostileRepo(dir, SCALE, SEED);
  ignoredByGit = gitIgnored(dir, repo.probed);
  mustHaveRow = new Set([...repo.expected, ...repo.probed.filter((rel) => !ignoredByGit.has(rel))]);
}, SCALE.timeoutMs);

// GNU rm walks any depth; Node's rm builds full paths, which a 10k-deep tree makes too long.
afterAll(() => execFileSync('rm', ['-rf', dir]));

function rows(): Map<string, { state: string; reason: string; error: { code: string } | null }> {
  const store = Store.open(join(dir, '.grove', 'index.db'), { readonly: true });
  try {
    return new Map(
      [...store.files()].map((f) => [f.path, { state: f.state, reason: f.reason, error: f.error }]),
    );
  } finally {
    store.close();
  }
}

async function indexHostile(): Promise<{
  code: number | null;
  summary: SummaryEvent;
  peak: number;
  stderr: string;
}> {
  const args = ['index', dir, '--json', '--max-memory', `${BUDGET_MIB}M`, '--concurrency', '2'];
  const run = await runGrove(args, { permissionBitsApply: true, env: { HOME: tmpdir() } });
  const summary = ndjson(run.stdout).at(-1) as unknown as SummaryEvent;
  return { code: run.code, summary, peak: run.peakRssBytes, stderr: run.stderr };
}

function expectRecorded(recorded: ReturnType<typeof rows>, allowed: Set<string>): void {
  const missing = [...mustHaveRow].filter((rel) => !recorded.has(rel));
  const unexpected = [...recorded.keys()].filter((rel) => !mustHaveRow.has(rel) && !allowed.has(rel));
  expect(missing, 'paths without a recorded state').toEqual([]);
  expect(unexpected, 'rows for paths that should have none').toEqual([]);
  for (const [rel, row] of recorded) {
    expect(STATES, rel).toContain(row.state);
    expect(row.reason, rel).not.toBe('');
    if (row.state === 'failed') expect(row.error?.code, rel).toMatch(/^[A-Z_]+$/);
  }
}

describe(`grove index on a seeded hostile repository (${SCALE.tinyFiles} tiny files, giant ${SCALE.giantFileBytes / MIB} MiB)`, () => {
  let churnStats: ChurnStats;

  it(
    'records every path once, exits 0 or 1, and stays under 256M while files change under it',
    async () => {
      const churn = startChurn(dir, repo.churn, SEED);
      const run = await indexHostile();
      churnStats = await churn.stop();
      report('hostile run 1', {
        code: run.code,
        files: run.summary.files,
        run: run.summary.run,
        wallMs: run.summary.wallMs,
        peakRssBytes: run.peak,
        groveReportedPeak: run.summary.peakRssBytes,
        churn: churnStats,
        paths: mustHaveRow.size,
        ignoredByGit: ignoredByGit.size,
      });
      expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
      expect([0, 1], run.stderr).toContain(run.code);
      expect(run.summary.type).toBe('summary');
      expect(run.peak).toBeGreaterThan(0);
      expect(run.peak).toBeLessThan(BUDGET_MIB * MIB);
      expect(run.summary.peakRssBytes).toBeLessThan(BUDGET_MIB * MIB);
      expect(churnStats.rewrites + churnStats.deletes).toBeGreaterThan(0);

      const recorded = rows();
      expectRecorded(recorded, new Set(repo.churn));
      const { files } = run.summary;
      expect(files.indexed + files.textOnly + files.skipped + files.failed).toBe(recorded.size);
      for (const ignored of ignoredByGit) expect(recorded.has(ignored), ignored).toBe(false);

      const state = (rel: string) => {
        const row = recorded.get(rel);
        return `${row?.state}/${row?.reason}`;
      };
      expect(state(repo.giant.path)).toBe('text-only/too-large-to-parse');
      expect(state('big-line.min.js')).toBe('text-only/minified');
      expect(state('binary.c')).toBe('skipped/binary');
      expect(state('enc/random-3.ts')).toBe('skipped/binary');
      expect(state('enc/utf16be-nobom.ts')).toBe('indexed/parsed');
      expect(state('special/fifo')).toBe('skipped/not-a-regular-file');
      expect(state('links/chain-a')).toBe('skipped/symlink-loop');
      expect(state('links/to-filesystem-root')).toBe('skipped/symlink-outside-root');
      expect(state('links/self-parent')).toBe('skipped/symlink-loop');
      if (repo.tooDeep) expect(recorded.get(repo.tooDeep)?.error?.code).toBe('FILE_TOO_DEEP');
      for (const rel of ['locked/secret.py', 'locked/write-only.c', 'locked/dir', 'secret.c']) {
        expect(recorded.get(rel)?.error?.code, rel).toBe('FILE_UNREADABLE');
      }
    },
    SCALE.timeoutMs,
  );

  it(
    'converges on the next run: churned files as they are on disk, the giant file searchable to its end',
    async () => {
      const run = await indexHostile();
      expect([0, 1], run.stderr).toContain(run.code);
      expect(run.peak).toBeLessThan(BUDGET_MIB * MIB);
      report('hostile run 2', {
        code: run.code,
        files: run.summary.files,
        run: run.summary.run,
        wallMs: run.summary.wallMs,
        peakRssBytes: run.peak,
      });
      const onDisk = new Set(repo.churn.filter((rel) => existsSync(join(dir, rel))));
      const recorded = rows();
      expectRecorded(recorded, onDisk);
      for (const rel of onDisk)
        expect(recorded.get(rel)?.state, rel).toBe(rel.endsWith('.c') ? 'indexed' : 'text-only');
      expect(run.summary.run.filesUnchanged).toBeGreaterThan(mustHaveRow.size / 2);

      const search = await runGrove(['search', GIANT_TAIL_TOKEN, '--json', '--index', join(dir, '.grove')]);
      expect(search.code, search.stderr).toBe(0);
      const hits = JSON.parse(search.stdout).results as Array<{ path: string; startLine: number }>;
      expect(hits.map((hit) => hit.path)).toContain(repo.giant.path);
    },
    SCALE.timeoutMs,
  );
});
