/**
 * Turns user options (CLI flags, library options) into one frozen, validated configuration. Every
 * default lives here with the reason it has that value.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { GroveError } from '../errors.js';

const MIB = 1024 * 1024;

/** The spec's default budget: enough for big repositories on a laptop, small beside the editor. */
const DEFAULT_MAX_MEMORY = 512 * MIB;
/** Files above this are not parsed (trees cost ~10-20x the source) but streamed as text. */
const DEFAULT_MAX_FILE_SIZE = 1 * MIB;
/** Files above this are skipped and recorded; big enough that a 1 GiB log or dump is still indexed. */
const DEFAULT_HARD_CAP = 4 * 1024 * MIB;
/** A pathological file must not hold a worker forever; generous for a 1 MiB file on a slow core. */
const DEFAULT_PARSE_TIMEOUT_MS = 20_000;
/**
 * Below this the fixed costs (Node and its code pages, SQLite, one worker with grammars) do not fit: the
 * memory-budget test's repository peaked at 96-97 MiB under 96M and at 99-104 MiB under 112M, with
 * baseline grammar code (see pipeline/memory-plan.ts). 128M leaves a sixth for what the plan cannot see.
 */
export const MIN_MAX_MEMORY = 128 * MIB;

export interface IndexOptions {
  /** Where the index lives; default `<root>/.grove`. */
  indexDir?: string;
  maxMemory?: number | string;
  concurrency?: number;
  maxFileSize?: number | string;
  hardCap?: number | string;
  include?: string[];
  exclude?: string[];
  /**
   * The project's own C/C++ annotation macros, read as if they were not there (as ctags' `-I`):
   * `MY_EXPORT`, or `MY_ALIGN()` for one that takes arguments. `''` clears a remembered list.
   */
  macros?: string[];
  /** Per-file parse timeout: milliseconds, or a duration such as `20s`. */
  parseTimeoutMs?: number | string;
  /** Rebuild from scratch: the existing index file is deleted first (also when it is corrupt). */
  full?: boolean;
  /**
   * Re-examine only these paths (relative to the root: files or directories, e.g. from a file watcher)
   * instead of walking the whole tree; those that are gone or now excluded leave the index, nothing
   * else is touched. Freshness metadata (`indexedAt`, commit) is left as the last complete run set it.
   */
  paths?: readonly string[];
  signal?: AbortSignal;
}

export interface ResolvedConfig {
  readonly root: string;
  readonly indexDir: string;
  readonly dbPath: string;
  readonly maxMemory: number;
  readonly concurrency: number;
  readonly maxFileSize: number;
  readonly hardCap: number;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Project macros blanked before C/C++ parsing (see IndexOptions.macros). */
  readonly macros: readonly string[];
  readonly parseTimeoutMs: number;
  readonly full: boolean;
  /** Only these root-relative paths (see `IndexOptions.paths`); null for a whole-tree run. */
  readonly paths: readonly string[] | null;
  /** The settings this run was given; the others come from the index (see index-settings.ts). */
  readonly given: ReadonlySet<RememberedSetting>;
}

/** Settings an index remembers from the run that last gave them. */
export type RememberedSetting = 'include' | 'exclude' | 'macros' | 'maxFileSize' | 'hardCap';

/** Parses `512M`, `1.5G`, `64k`, `1048576` (bytes) into bytes. */
export function parseByteSize(value: number | string, option: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(String(value));
  if (!match) {
    throw new GroveError(
      'CONFIG_INVALID',
      `${option}: cannot read "${value}" as a size (use e.g. 256M, 1G)`,
      {
        option,
      },
    );
  }
  const units: Record<string, number> = { '': 1, k: 1024, m: MIB, g: 1024 * MIB, t: 1024 * 1024 * MIB };
  const bytes = Math.floor(Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? 1));
  if (bytes <= 0) throw new GroveError('CONFIG_INVALID', `${option} must be greater than zero`, { option });
  return bytes;
}

/** Parses `500ms`, `20s`, `2m` or a plain number of milliseconds into milliseconds. */
export function parseDuration(value: number | string, option: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.ceil(value);
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(String(value));
  const units: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000 };
  const ms = match ? Math.ceil(Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? 1)) : Number.NaN;
  if (!(ms > 0)) {
    throw new GroveError(
      'CONFIG_INVALID',
      `${option}: cannot read "${value}" as a duration (use e.g. 500ms, 20s, 2m)`,
      {
        option,
      },
    );
  }
  return ms;
}

export function indexDbPath(indexDir: string): string {
  return join(indexDir, 'index.db');
}

export function resolveConfig(root: string, options: IndexOptions = {}): ResolvedConfig {
  const absRoot = resolve(root);
  const indexDir = resolve(options.indexDir ?? process.env.GROVE_INDEX_DIR ?? join(absRoot, '.grove'));
  const maxMemory = parseByteSize(
    options.maxMemory ?? process.env.GROVE_MAX_MEMORY ?? DEFAULT_MAX_MEMORY,
    '--max-memory',
  );
  if (maxMemory < MIN_MAX_MEMORY) {
    throw new GroveError('CONFIG_INVALID', `--max-memory must be at least ${MIN_MAX_MEMORY / MIB}M`, {
      option: '--max-memory',
    });
  }
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new GroveError('CONFIG_INVALID', `--concurrency must be a whole number from 1 to 256`, {
      option: '--concurrency',
    });
  }
  return Object.freeze({
    root: absRoot,
    indexDir,
    dbPath: indexDbPath(indexDir),
    maxMemory,
    concurrency,
    maxFileSize: parseByteSize(options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, '--max-file-size'),
    hardCap: parseByteSize(options.hardCap ?? DEFAULT_HARD_CAP, '--hard-cap'),
    include: patterns(options.include),
    exclude: patterns(options.exclude),
    macros: macroNames(options.macros),
    parseTimeoutMs: parseDuration(options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS, '--parse-timeout'),
    full: options.full ?? false,
    paths: options.paths ? Object.freeze([...options.paths]) : null,
    given: new Set(REMEMBERED.filter((setting) => options[setting] !== undefined)),
  });
}

const REMEMBERED: readonly RememberedSetting[] = ['include', 'exclude', 'macros', 'maxFileSize', 'hardCap'];

/** Glob patterns without empty ones: `--exclude ''` is how a remembered list is cleared. */
function patterns(list: readonly string[] | undefined): readonly string[] {
  return Object.freeze((list ?? []).filter((pattern) => pattern !== ''));
}

/** A C identifier, with `()` when the macro takes arguments. */
export const MACRO_NAME = /^[A-Za-z_]\w*(?:\(\))?$/;

/** Validated, sorted and without repeats (the list is part of the extractor version); `''` is dropped. */
function macroNames(list: readonly string[] | undefined): readonly string[] {
  const names = (list ?? []).filter((name) => name !== '');
  for (const name of names) {
    if (!MACRO_NAME.test(name)) {
      throw new GroveError(
        'CONFIG_INVALID',
        `--macro: "${name}" is not a macro name (use NAME, or NAME() for a macro with arguments)`,
        { option: '--macro' },
      );
    }
  }
  return Object.freeze([...new Set(names)].sort());
}
