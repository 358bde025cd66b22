// The daemon benchmark (issue: daemon and MCP server), through the real socket of a real `grove serve`:
//  1. p50/p99 of symbol lookups and searches with 1 client and with 100 concurrent clients (client-side
//     latency, which includes queueing behind the other clients, and the daemon's own per-method p50/p99):
//     repeated questions (answered from the daemon's answer cache) and distinct ones (each asked once);
//     and of 50 clients' distinct lookups while 50 others search;
//  2. time from writing a file to its new content being searchable (watcher -> batch -> query);
//     Then symbol lookups (1 client) while edits keep the daemon indexing and linking.
//  3. idle CPU over 60 s and idle RSS of the daemon with the project loaded and watched.
//  4. the same lookups and searches in this process through openIndex (same index, same run), so the
//     daemon's own overhead (socket, framing, JSON, scheduling) reads as a ratio.
// Usage: node bench/daemon-latency.js [--root DIR] [--index DIR] [--copy-index DIR] [--idle-seconds N]
//          [--requests N] [--no-search] [--profile DIR] [--query-threads N]
// With --copy-index the index is copied there first (cp) so the watched daemon may write to it; without
// it the daemon runs --no-watch on --index and the write-to-searchable step is skipped. --no-search skips
// the search phases (minutes on the kernel). --profile DIR runs the daemon under --cpu-prof (profiles in
// DIR) with bench/loop-probe.js preloaded (event-loop delay and GC pauses, DIR/loop-probe-PID.json).
// --query-threads N is passed to the daemon (0: every query on its main thread, as before query threads).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openIndex } from '../dist/index.js';
import { DaemonClient } from '../dist/server/daemon-client.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: '/root/.cache/grove-corpus/linux' },
    index: { type: 'string', default: '/tmp/kfinal' },
    'copy-index': { type: 'string' },
    'idle-seconds': { type: 'string', default: '60' },
    requests: { type: 'string', default: '3000' },
    'no-search': { type: 'boolean', default: false },
    profile: { type: 'string' },
    'query-threads': { type: 'string' },
  },
});
const GROVE = new URL('../bin/grove.js', import.meta.url).pathname;
const SYMBOLS = [
  'kmalloc',
  'printk',
  'schedule',
  'mutex_lock',
  'spin_lock_irqsave',
  'copy_from_user',
  'kfree',
  'vfs_read',
  'tcp_sendmsg',
  'ext4_get_block',
  'pci_enable_device',
  'of_property_read_u32',
  'dev_err',
  'list_add_tail',
  'get_mb_rx_first',
  'arizona_dvfs_disable',
  'netif_rx',
  'skb_put',
  'kthread_create_on_node',
  'wake_up_process',
];
const QUERIES = [
  'page fault handler',
  'kmalloc array overflow',
  'tcp congestion window',
  'usb device probe',
  'spin lock irq save',
  'ext4 journal commit',
  'dma mapping error',
  'scheduler load balance',
  'network device transmit timeout',
  'memory cgroup charge',
];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const summarize = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms) => Math.round(ms * 1000) / 1000;
  return { n: sorted.length, p50Ms: round(percentile(sorted, 0.5)), p99Ms: round(percentile(sorted, 0.99)) };
};

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuTicks: Number(fields[11]) + Number(fields[12]) };
}
const rss = (pid) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const hwm = (pid) => Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;

async function startDaemon(args) {
  let command = GROVE;
  let argv = ['serve', ...args];
  const env = { ...process.env };
  if (values.profile !== undefined) {
    // --cpu-prof is refused in NODE_OPTIONS: run node with the launcher's own flags and env, plus these.
    const shebang = readFileSync(GROVE, 'utf8').split('\n')[0].split(/\s+/);
    const at = shebang.indexOf('node');
    for (const assignment of shebang.slice(2, at)) env[assignment.split('=')[0]] = assignment.split('=')[1];
    const probe = new URL('./loop-probe.js', import.meta.url).pathname;
    const profiling = ['--cpu-prof', `--cpu-prof-dir=${values.profile}`, `--import=${probe}`];
    command = process.execPath;
    argv = [...shebang.slice(at + 1), ...profiling, GROVE, ...argv];
    env.GROVE_LOOP_PROBE_DIR = values.profile;
  }
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`grove serve exited ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

async function timed(client, method, params) {
  const started = performance.now();
  await client.call(method, params);
  return performance.now() - started;
}

/** `clients` connections, each sending its next request as soon as the last is answered, while `more(i)`. */
async function load(socket, target, method, make, clients, more) {
  const connections = await Promise.all(Array.from({ length: clients }, () => DaemonClient.connect(socket)));
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    connections.map(async (client) => {
      while (more(next)) {
        const i = next++;
        latencies.push(await timed(client, method, { ...target, ...make(i) }));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of connections) client.close();
  return { ...summarize(latencies), perSec: Math.round(latencies.length / seconds) };
}
const upTo = (total) => (i) => i < total;

/** Up to `count` distinct defined names of the index (the first 10,000 definitions of each letter). */
function distinctNames(dir, count) {
  const index = openIndex(dir, { dirtyFiles: () => 0 });
  try {
    const names = new Set();
    for (const prefix of 'abcdefghijklmnopqrstuvwxyz') {
      for (const row of index.symbols(`${prefix}*`, { limit: 10_000 }).results) names.add(row.name);
      if (names.size >= count) break;
    }
    return [...names].slice(0, count);
  } finally {
    index.close();
  }
}

/** Distinct two- and three-word queries made of the repeated queries' words, none of them repeated. */
function distinctQueries() {
  const words = [...new Set(QUERIES.join(' ').split(' '))];
  const queries = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      queries.push(`${words[i]} ${words[j]}`);
      queries.push(`${words[j]} ${words[i]} ${words[(i + j) % words.length]}`);
      queries.push(`${words[i]} ${words[(i * 7 + j * 3) % words.length]} ${words[j]}`);
    }
  }
  const repeated = new Set(QUERIES);
  return [...new Set(queries)].filter((query) => !repeated.has(query));
}

/** The same requests answered in this process (openIndex, JSON as the daemon would send it): the floor. */
function inProcess(dir, method, make, total) {
  const index = openIndex(dir, { dirtyFiles: () => 0 });
  const latencies = [];
  try {
    for (let i = 0; i < total; i++) {
      const { name, query, limit } = make(i);
      const started = performance.now();
      JSON.stringify(method === 'symbols' ? index.symbols(name) : index.search(query, { limit }));
      latencies.push(performance.now() - started);
    }
  } finally {
    index.close();
  }
  return summarize(latencies);
}

const work = mkdtempSync(join(tmpdir(), 'grove-bench-daemon-'));
let indexDir = values.index;
const watch = values['copy-index'] !== undefined;
if (watch) {
  indexDir = values['copy-index'];
  const started = performance.now();
  copyFileSync(join(values.index, 'index.db'), join(indexDir, 'index.db'));
  console.error(`copied the index in ${Math.round(performance.now() - started)} ms`);
}
const socket = join(work, 'd.sock');
const args = ['--socket', socket, '--index-dir', `${values.root}=${indexDir}`, '--max-memory', '512M'];
if (values['query-threads'] !== undefined) args.push('--query-threads', values['query-threads']);
const { child, info } = await startDaemon(watch ? args : [...args, '--no-watch']);
const target = { root: values.root };
const result = { root: values.root, index: indexDir, watch, pid: info.pid };
try {
  const client = await DaemonClient.connect(socket);
  let started = performance.now();
  await client.call('status', target);
  result.firstLoadMs = Math.round(performance.now() - started);
  // Files changed since the index was built get one catch-up run at load; the phases below measure the
  // steady state, so they start once it is done (on a shared corpus it can take minutes).
  started = performance.now();
  while ((await client.call('status')).projects.some((project) => project.state !== 'idle')) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  result.catchUpMs = Math.round(performance.now() - started);
  // Warm the page cache for the measured queries (one pass each).
  for (const name of SYMBOLS) await client.call('symbols', { ...target, name });
  for (const query of QUERIES) await client.call('search', { ...target, query });
  const total = Number(values.requests);
  // Repeated questions (20 names, 10 queries, asked over and over): after the warm-up pass above the
  // daemon answers them from its answer cache. Distinct questions (each asked once) are never in it.
  const symbol = (i) => ({ name: SYMBOLS[i % SYMBOLS.length] });
  const search = (i) => ({ query: QUERIES[i % QUERIES.length], limit: 10 });
  const names = distinctNames(indexDir, 100_000);
  const queries = distinctQueries();
  let nextName = 0;
  let nextQuery = 0;
  const newSymbol = () => ({ name: names[nextName++ % names.length] });
  const newSearch = () => ({ query: queries[nextQuery++ % queries.length], limit: 10 });
  result.distinct = { names: names.length, queries: queries.length };
  result.symbols1 = await load(socket, target, 'symbols', symbol, 1, upTo(total));
  result.symbols100 = await load(socket, target, 'symbols', symbol, 100, upTo(total));
  result.symbols1Distinct = await load(socket, target, 'symbols', newSymbol, 1, upTo(total));
  result.symbols100Distinct = await load(socket, target, 'symbols', newSymbol, 100, upTo(total));
  if (!values['no-search']) {
    result.search1 = await load(socket, target, 'search', search, 1, upTo(Math.ceil(total / 10)));
    result.search100 = await load(socket, target, 'search', search, 100, upTo(Math.ceil(total / 5)));
    result.search1Distinct = await load(socket, target, 'search', newSearch, 1, upTo(Math.ceil(total / 10)));
    result.search100Distinct = await load(
      socket,
      target,
      'search',
      newSearch,
      100,
      upTo(Math.ceil(total / 5)),
    );
    // Mixed, distinct questions: 50 clients look up symbols for as long as 50 others search.
    let searching = true;
    const searches = load(socket, target, 'search', newSearch, 50, upTo(Math.ceil(total / 10))).then((r) => {
      searching = false;
      return r;
    });
    const lookups = await load(socket, target, 'symbols', newSymbol, 50, () => searching);
    result.mixed100 = { symbols: lookups, search: await searches };
    if (nextQuery > queries.length) result.distinct.queriesRepeated = nextQuery - queries.length;
  }
  if (nextName > names.length) result.distinct.namesRepeated = nextName - names.length;
  result.daemonLatency = (await client.call('status')).latency;
  result.inProcess = { symbols: inProcess(indexDir, 'symbols', symbol, total) };
  if (!values['no-search'])
    result.inProcess.search = inProcess(indexDir, 'search', search, Math.ceil(total / 10));

  if (watch) {
    const samples = [];
    const file = join(values.root, 'grove_bench_probe.c');
    for (let i = 0; i < 10; i++) {
      const name = `grove_bench_probe_${process.pid}_${i}`;
      started = performance.now();
      writeFileSync(file, `int ${name}(void) { return ${i}; }\n`);
      for (;;) {
        const answer = await client.call('symbols', { ...target, name });
        if (answer.results.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      samples.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // Lookups while the daemon indexes: edits every 100 ms for 2 s (a batch each), then quiet for 5 s,
    // in which the deferred link runs. Whatever index work holds the query thread shows up here.
    const busy = await DaemonClient.connect(socket);
    const during = [];
    let editing = true;
    const edits = (async () => {
      for (let i = 0; i < 20; i++) {
        writeFileSync(file, `int grove_bench_busy_${process.pid}_${i}(void) { return ${i}; }\n`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 5000));
      editing = false;
    })();
    for (let i = 0; editing; i++) during.push(await timed(busy, 'symbols', { ...target, ...symbol(i) }));
    await edits;
    busy.close();
    result.symbols1WhileIndexing = summarize(during);
    result.symbols1WhileIndexing.maxMs = Math.round(Math.max(...during) * 1000) / 1000;
    rmSync(file, { force: true });
    result.writeToSearchable = { ...summarize(samples), samplesMs: samples.map((ms) => Math.round(ms)) };
  }
  client.close();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleSeconds = Number(values['idle-seconds']);
  const before = procStat(info.pid).cpuTicks;
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const ticks = procStat(info.pid).cpuTicks - before;
  result.idle = {
    seconds: idleSeconds,
    cpuMs: ticks * 10,
    cpuPercent: (ticks * 10) / (idleSeconds * 10),
    rssBytes: rss(info.pid),
  };
  result.peakRssBytes = hwm(info.pid);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  if (watch)
    for (const suffix of ['', '-wal', '-shm', '.lock'])
      rmSync(join(indexDir, `index.db${suffix}`), { force: true });
  rmSync(work, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));
