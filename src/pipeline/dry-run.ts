/**
 * `grove index --dry-run`: what an index run would do, without doing it. The walk is the one indexing
 * uses (same rules, same options), each file's head is read and classified as indexing would, and
 * nothing is parsed or written. The estimate turns the planned bytes into seconds with throughputs
 * measured on a 2-core machine (see the constants).
 */
import { withRememberedSettings } from '../config/index-settings.js';
import type { ResolvedConfig } from '../config/resolve-config.js';
import { toGroveError } from '../errors.js';
import type { FileState, Language, WalkEntry } from '../model.js';
import { languageForPath } from '../parse/languages.js';
import { planMemory } from './memory-plan.js';
import { readRememberedSettings } from './remembered-settings.js';
import { type Classification, classify, SNIFF_BYTES } from './stages/classify.js';
import { readHead } from './stages/read.js';
import { walk } from './stages/walk.js';

/** The plan for one index run: what would be read, parsed, chunked as text, skipped, and left out. */
export interface DryRunReport {
  type: 'dry-run';
  root: string;
  /** Every path the walk reports (files and problems); bytes of the files. */
  files: { total: number; bytes: number };
  /** Planned end states: `parse` -> indexed, `text` -> textOnly, `skip` -> skipped; walk problems as found. */
  byState: { indexed: number; textOnly: number; skipped: number; failed: number };
  /** Walked files (not walk problems) by language, `unknown` when none; strategy (or `failed`) -> files. */
  byLanguage: Record<string, { files: number; bytes: number; strategy: Record<string, number> }>;
  /** `state:reason` -> count, e.g. `text-only:minified`, `skipped:binary`, `indexed:parsed`. */
  byReason: Record<string, number>;
  /** The first `MAX_EXCLUDED_LISTED` paths left out by a rule, in walk order; directories end in `/`. */
  excluded: Array<{ path: string; reason: string }>;
  /** All paths left out by a rule (nothing below an excluded directory counts). */
  excludedCount: number;
  estimate: { parseBytes: number; textBytes: number; workers: number; seconds: number; basis: string };
  wallMs: number;
}

const MIB = 1024 * 1024;
/** Enough to see which rules bite; a tree with thousands of ignored build dirs still reports their count. */
const MAX_EXCLUDED_LISTED = 200;

/**
 * Full extraction (parse, query, chunk) on one core, MiB/s of source, measured on kernel C, CPython and
 * the TypeScript compiler's sources. TSX uses the TypeScript grammar; languages not measured use C's.
 */
const PARSE_MIB_PER_SEC_PER_WORKER: Readonly<Record<string, number>> = {
  c: 3.29,
  python: 3.12,
  typescript: 2.4,
  tsx: 2.4,
};
const DEFAULT_PARSE_MIB_PER_SEC = PARSE_MIB_PER_SEC_PER_WORKER.c!;
/** Line chunking + FTS insert of text-only files on the main thread. */
const TEXT_MIB_PER_SEC = 20;
/**
 * Share of a worker's single-core speed it keeps in a full run, where the main thread's store work (FTS
 * inserts, transactions) competes for the same cores. Measured with 2 workers on 2 cores, on
 * drivers/net/wireless (44 MiB, 38 MiB parsed): 15.5 s wall (13 s in an earlier run), which solves to
 * 0.38 (0.46); with more cores than workers the store has its own core and this is pessimistic.
 */
const PIPELINE_WORKER_EFFICIENCY = 0.4;
/** Kernel `kernel/` C on V8's baseline WASM code only, against optimized code: 3.51-3.63 s against 2.33 s. */
const BASELINE_WASM_SLOWDOWN = 1.5;

const STATE_KEYS = {
  indexed: 'indexed',
  'text-only': 'textOnly',
  skipped: 'skipped',
  failed: 'failed',
} as const;
const STATE_OF_STRATEGY = { parse: 'indexed', text: 'text-only', skip: 'skipped' } as const;

/**
 * Plans an index run of `config.root`: walks it as indexing would, reads at most `SNIFF_BYTES` of each
 * file (none of files above the hard cap) and classifies it, with the settings the run would use (those
 * the index remembers, see config/index-settings.ts). Writes nothing. Throws `ROOT_NOT_FOUND` for a
 * missing root and `ABORTED` when the signal fires.
 */
export async function planDryRun(
  given: ResolvedConfig,
  options: { signal?: AbortSignal } = {},
): Promise<DryRunReport> {
  const config = withRememberedSettings(given, readRememberedSettings(given.dbPath));
  const started = performance.now();
  const report = emptyReport(config.root);
  const parseBytesByLanguage = new Map<string, number>();
  const entries = walk(config.root, {
    include: [...config.include],
    exclude: [...config.exclude],
    ignoreDirs: [config.indexDir],
    ...(options.signal ? { signal: options.signal } : {}),
    onExcluded: (path, reason) => {
      if (report.excludedCount++ < MAX_EXCLUDED_LISTED) report.excluded.push({ path, reason });
    },
  });
  for await (const item of entries) {
    report.files.total++;
    if (!('absPath' in item)) {
      countState(report, item.state, item.reason);
      continue;
    }
    report.files.bytes += item.size;
    const planned = await plan(item, config);
    if (planned.kind === 'failed') {
      countState(report, 'failed', planned.reason);
      addLanguage(report, languageForPath(item.path), item.size, 'failed');
      continue;
    }
    const { strategy, language, reason } = planned.classification;
    countState(report, STATE_OF_STRATEGY[strategy], reason);
    addLanguage(report, language, item.size, strategy);
    if (strategy === 'parse') {
      const key = language ?? 'unknown';
      parseBytesByLanguage.set(key, (parseBytesByLanguage.get(key) ?? 0) + item.size);
    } else if (strategy === 'text') {
      report.estimate.textBytes += item.size;
    }
  }
  report.estimate = estimate(config, parseBytesByLanguage, report.estimate.textBytes);
  report.wallMs = Math.round(performance.now() - started);
  return report;
}

type Planned = { kind: 'classified'; classification: Classification } | { kind: 'failed'; reason: string };

/** What indexing would decide for one file; a head that cannot be read is a failure, as in a real run. */
async function plan(entry: WalkEntry, config: ResolvedConfig): Promise<Planned> {
  // Classify decides the hard cap from the size alone, so such a file is never opened.
  if (entry.size > config.hardCap)
    return { kind: 'classified', classification: classify(entry, NO_BYTES, config) };
  try {
    const head = await readHead(entry, SNIFF_BYTES);
    return { kind: 'classified', classification: classify(entry, head, config) };
  } catch (error) {
    // The reason a real run records: the error code in lower case (see process-file.ts).
    return { kind: 'failed', reason: toGroveError(error, { path: entry.path }).code.toLowerCase() };
  }
}

const NO_BYTES = new Uint8Array(0);

function emptyReport(root: string): DryRunReport {
  return {
    type: 'dry-run',
    root,
    files: { total: 0, bytes: 0 },
    byState: { indexed: 0, textOnly: 0, skipped: 0, failed: 0 },
    byLanguage: {},
    byReason: {},
    excluded: [],
    excludedCount: 0,
    estimate: { parseBytes: 0, textBytes: 0, workers: 0, seconds: 0, basis: '' },
    wallMs: 0,
  };
}

function countState(report: DryRunReport, state: FileState, reason: string): void {
  report.byState[STATE_KEYS[state]]++;
  const key = `${state}:${reason}`;
  report.byReason[key] = (report.byReason[key] ?? 0) + 1;
}

function addLanguage(report: DryRunReport, language: Language | null, bytes: number, strategy: string): void {
  const key = language ?? 'unknown';
  const row = report.byLanguage[key] ?? { files: 0, bytes: 0, strategy: {} };
  report.byLanguage[key] = row;
  row.files++;
  row.bytes += bytes;
  row.strategy[strategy] = (row.strategy[strategy] ?? 0) + 1;
}

/** Seconds for the planned work: parse bytes spread over the effective workers, text on the main thread. */
function estimate(
  config: ResolvedConfig,
  parseBytesByLanguage: ReadonlyMap<string, number>,
  textBytes: number,
): DryRunReport['estimate'] {
  const plan = planMemory(config.maxMemory, config.concurrency);
  const workers = Math.min(config.concurrency, plan.workers);
  const slowdown = plan.baselineWasmOnly ? BASELINE_WASM_SLOWDOWN : 1;
  const effectiveWorkers = (workers * PIPELINE_WORKER_EFFICIENCY) / slowdown;
  let parseBytes = 0;
  let seconds = textBytes / (TEXT_MIB_PER_SEC * MIB);
  for (const [language, bytes] of parseBytesByLanguage) {
    parseBytes += bytes;
    const rate = PARSE_MIB_PER_SEC_PER_WORKER[language] ?? DEFAULT_PARSE_MIB_PER_SEC;
    seconds += bytes / (rate * MIB * effectiveWorkers);
  }
  const baseline = slowdown === 1 ? '' : `, ${slowdown}x slower on baseline WASM code to fit the budget`;
  const basis =
    `${workers} parse worker(s) at ${PIPELINE_WORKER_EFFICIENCY} of single-core speed ` +
    `(C ${DEFAULT_PARSE_MIB_PER_SEC} MiB/s per core${baseline}), text at ${TEXT_MIB_PER_SEC} MiB/s; ` +
    'calibrated on drivers/net/wireless (2 cores: 15.5 s indexed, estimated 14.8 s)';
  return { parseBytes, textBytes, workers, seconds, basis };
}
