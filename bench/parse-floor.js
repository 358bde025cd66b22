// Single-core parse floor vs full extraction on a real corpus (default: the first 40 MB of Linux
// kernel .c/.h files under 1 MiB). Prints MB/s for: bare tree-sitter parse, parse + the combined query,
// and grove's full extract (query + symbols/refs/imports + AST chunks). Run after `npm run build`:
//   node bench/parse-floor.js [corpusDir] [megabytes] [language] [extensions]
//   node bench/parse-floor.js ~/.cache/grove-corpus/cpython 20 python .py
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';
import { createExtractor } from '../dist/parse/extractor.js';
import { grammarPath } from '../dist/parse/grammars.js';
import { QUERIES } from '../dist/parse/queries/index.js';

const root = process.argv[2] ?? join(homedir(), '.cache/grove-corpus/linux');
const budget = Number(process.argv[3] ?? 40) * 1e6;
const language = process.argv[4] ?? 'c';
const extensions = (process.argv[5] ?? '.c,.h').split(',');
const MAX_FILE = 1 << 20; // the pipeline sends bigger files to the text path

/** Files in sorted walk order, so every run measures the same bytes. */
function collect(dir, out, state) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (state.bytes >= budget) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) collect(path, out, state);
    } else if (entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext))) {
      const size = statSync(path).size;
      if (size > MAX_FILE) continue;
      const text = readFileSync(path, 'utf8');
      out.push(text);
      state.bytes += Buffer.byteLength(text);
    }
  }
}

const sources = [];
const state = { bytes: 0 };
collect(root, sources, state);
const megabytes = state.bytes / 1e6;
console.log(`${sources.length} ${language} files, ${megabytes.toFixed(1)} MB from ${root}`);

await Parser.init();
const grammar = await Language.load(grammarPath(language));
const parser = new Parser();
parser.setLanguage(grammar);
const query = new Query(grammar, QUERIES[language]);
const extractor = await createExtractor();
await extractor.prepare(language);

// The three measurements interleave file by file, so load from other processes on a shared machine
// slows all three alike and the ratios stay meaningful even when absolute speeds do not.
const seconds = { bare: 0, query: 0, extract: 0 };
const totals = { matches: 0, symbols: 0, refs: 0, chunks: 0 };
for (const [index, source] of sources.entries()) {
  const warm = index < 50; // let the JIT settle before counting
  let start = performance.now();
  parser.parse(source)?.delete();
  if (!warm) seconds.bare += (performance.now() - start) / 1000;
  start = performance.now();
  const tree = parser.parse(source);
  totals.matches += query.matches(tree.rootNode).length;
  tree.delete();
  if (!warm) seconds.query += (performance.now() - start) / 1000;
  start = performance.now();
  const extraction = await extractor.extract(language, source);
  if (!warm) seconds.extract += (performance.now() - start) / 1000;
  totals.symbols += extraction.symbols.length;
  totals.refs += extraction.refs.length;
  totals.chunks += extraction.chunks.length;
}
const counted = (megabytes * (sources.length - 50)) / sources.length; // approximate: bytes after warm-up
const speed = (key) => counted / seconds[key];
console.log(`bare parse     ${speed('bare').toFixed(2)} MB/s`);
console.log(`parse + query  ${speed('query').toFixed(2)} MB/s  (${totals.matches} matches)`);
console.log(
  `full extract   ${speed('extract').toFixed(2)} MB/s  (${totals.symbols} symbols, ${totals.refs} refs, ${totals.chunks} chunks)`,
);
console.log(
  `extract / bare: ${(speed('extract') / speed('bare')).toFixed(2)}  (parse + query / bare: ${(speed('query') / speed('bare')).toFixed(2)})`,
);
console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
extractor.close();
query.delete();
parser.delete();
