// Query latency on a built index: a fixed, seeded set of 200 symbol lookups and 200 searches, timed
// in-process (warm, through openIndex) and through the CLI (a process per query, as a user or script runs
// it), plus references, map and context. Prints p50/p99 per kind.
//
// --overlap also ranks each search exhaustively (every match scored by BM25; slow on a big index) and
// reports overlap@10 of the fast path's results with it: |fast top 10 ∩ exhaustive top 10| / 10
// (or / the exhaustive count when fewer match). --exhaustive-cache FILE keeps the exhaustive answers
// between runs (they depend only on the index).
//
//   node bench/query-latency.js INDEX_DIR [--cli-samples N] [--seed S] [--overlap]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openIndex } from '../dist/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'cli-samples': { type: 'string', default: '20' },
    seed: { type: 'string', default: '42' },
    overlap: { type: 'boolean', default: false },
    'exhaustive-cache': { type: 'string' },
  },
});
const indexDir = positionals[0];
if (!indexDir) {
  console.error('usage: node bench/query-latency.js INDEX_DIR [--cli-samples N] [--seed S] [--overlap]');
  process.exit(2);
}
const QUERIES = 200;
const GROVE = fileURLToPath(new URL('../bin/grove.js', import.meta.url));

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Distinct symbol names of parsed files (functions, structs, ...), fixed per seed: a random parsed file,
 * then a random such definition in it (sampling symbol ids instead kept landing on the first definition
 * after long runs of header macros: 200 draws gave a few names).
 */
function sampleNames(random) {
  const db = new Database(`${indexDir}/index.db`, { readonly: true });
  const files = db.prepare("SELECT id FROM files WHERE state = 'indexed' ORDER BY id").pluck().all();
  const kinds = "kind IN ('function', 'struct', 'class', 'type', 'method')";
  const count = db.prepare(`SELECT count(*) FROM symbols WHERE file_id = ? AND ${kinds}`).pluck();
  const nth = db
    .prepare(`SELECT name FROM symbols WHERE file_id = ? AND ${kinds} ORDER BY id LIMIT 1 OFFSET ?`)
    .pluck();
  const names = new Set();
  for (let draws = 0; names.size < QUERIES && draws < QUERIES * 100; draws++) {
    const file = files[Math.floor(random() * files.length)];
    const n = count.get(file);
    if (n > 0) names.add(nth.get(file, Math.floor(random() * n)));
  }
  db.close();
  return [...names];
}

const NL = [
  'allocate memory for buffer',
  'free the device structure',
  'parse command line options',
  'lock the mutex before access',
  'read configuration from file',
  'initialize the network interface',
  'handle interrupt request',
  'copy data to user space',
  'timer expired callback',
  'validate checksum of packet',
  'register a character device',
  'wait for completion with timeout',
  'release the reference count',
  'map a dma buffer',
  'read a register over i2c',
  'flush the translation lookaside buffer',
  'schedule work on a workqueue',
  'suspend and resume power management',
  'parse the device tree node',
  'compute crc32 of data',
  'hash table lookup by key',
  'spin lock with interrupts disabled',
  'send a netlink message',
  'mount a filesystem superblock',
  'write back dirty pages',
  'allocate an skb for transmit',
  'probe the pci device',
  'parse json value',
  'string to integer conversion',
  'print a warning once',
];

function quantiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    n: sorted.length,
    p50: +at(0.5).toFixed(3),
    p99: +at(0.99).toFixed(3),
    max: +sorted.at(-1).toFixed(3),
  };
}

async function timeAll(items, fn) {
  const samples = [];
  for (const item of items) {
    const start = performance.now();
    await fn(item);
    samples.push(performance.now() - start);
  }
  return quantiles(samples);
}

function cli(args) {
  const start = performance.now();
  const run = spawnSync(GROVE, [...args, '--index', indexDir, '--json'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`grove ${args.join(' ')} failed: ${run.stderr}`);
  return performance.now() - start;
}

/** Overlap@10 of the fast path with the exhaustive ranking, per search; exhaustive answers cached per query. */
function overlapAt10(queries) {
  const key = (r) => `${r.path}:${r.startLine}`;
  const cacheFile = values['exhaustive-cache'];
  const exact = new Map(
    cacheFile && existsSync(cacheFile)
      ? Object.entries(JSON.parse(readFileSync(cacheFile, 'utf8'))).map(([q, keys]) => [q, new Set(keys)])
      : [],
  );
  const overlaps = [];
  let approximate = 0;
  let exhaustiveMs = 0;
  for (const query of queries) {
    const fast = index.search(query, { limit: 10 });
    if (fast.approximate) approximate++;
    if (!exact.has(query)) {
      const start = performance.now();
      exact.set(query, new Set(index.search(query, { limit: 10, exhaustive: true }).results.map(key)));
      exhaustiveMs += performance.now() - start;
    }
    const truth = exact.get(query);
    const hits = fast.results.filter((r) => truth.has(key(r))).length;
    overlaps.push(truth.size === 0 ? (fast.results.length === 0 ? 1 : 0) : hits / truth.size);
  }
  if (cacheFile) {
    writeFileSync(
      cacheFile,
      JSON.stringify(Object.fromEntries([...exact].map(([q, keys]) => [q, [...keys]]))),
    );
  }
  const sorted = [...overlaps].sort((a, b) => a - b);
  const worst = [...new Set(queries)]
    .map((q) => ({ query: q, overlap: overlaps[queries.indexOf(q)] }))
    .sort((a, b) => a.overlap - b.overlap)
    .slice(0, 10);
  return {
    n: sorted.length,
    median: sorted[Math.floor(sorted.length / 2)],
    p10: sorted[Math.floor(sorted.length / 10)],
    worst: sorted[0],
    mean: +(sorted.reduce((a, b) => a + b, 0) / sorted.length).toFixed(3),
    below08: sorted.filter((o) => o < 0.8).length,
    approximateAnswers: approximate,
    exhaustiveDistinctMs: +exhaustiveMs.toFixed(0),
    worstQueries: worst,
  };
}

const random = seeded(Number(values.seed));
const names = sampleNames(random);
const searches = names.map((name, i) => (i % 2 === 0 ? name : NL[i % NL.length]));
const index = openIndex(indexDir, { freshnessMaxAgeMs: Number.POSITIVE_INFINITY });
const freshnessStart = performance.now();
const freshness = index.freshness();
const freshnessMs = performance.now() - freshnessStart;

// Warm-up: page cache and prepared statements, as a long-running process has them.
for (const name of names.slice(0, 20)) index.symbols(name);
for (const query of searches.slice(0, 20)) index.search(query, { limit: 10 });

const report = {
  index: indexDir,
  freshness: { ...freshness, checkMs: +freshnessMs.toFixed(1) },
  inProcess: {
    symbols: await timeAll(names, (name) => index.symbols(name)),
    search: await timeAll(searches, (query) => index.search(query, { limit: 10 })),
    refs: await timeAll(names.slice(0, 50), (name) => index.refs(name, { limit: 100 })),
    map: await timeAll([1024, 1024, 1024, 4096, 4096], (tokens) => index.map({ tokens })),
    context: await timeAll(names.slice(0, 10), async (name) => {
      const [definition] = index.symbols(name, { limit: 1 }).results;
      if (definition) await index.context(definition.path, { line: definition.line });
    }),
  },
};
if (values.overlap) report.overlapAt10 = overlapAt10(searches);
index.close();
const cliSamples = Number(values['cli-samples']);
const cliSymbols = [];
const cliSearch = [];
for (let i = 0; i < cliSamples; i++) {
  cliSymbols.push(cli(['symbols', names[i]]));
  cliSearch.push(cli(['search', searches[i], '--limit', '10']));
}
if (cliSamples > 0) report.cli = { symbols: quantiles(cliSymbols), search: quantiles(cliSearch) };
console.log(JSON.stringify(report, null, 2));
