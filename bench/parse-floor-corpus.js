// The parse floor: tree-sitter parse time alone (no queries, no chunking, no store) over exactly the files
// grove parsed, split across one worker per core. floor = total parse time / cores. grove's wall time over
// this floor is the pipeline's overhead.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (isMainThread) {
  const [root, dbPath, coresArg] = process.argv.slice(2);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbPath, { readonly: true });
  const rows = db
    .prepare("SELECT path, language, size FROM files WHERE state = 'indexed' ORDER BY size DESC")
    .all();
  db.close();
  const cores = Number(coresArg ?? availableParallelism());
  const shares = Array.from({ length: cores }, () => ({ files: [], bytes: 0 }));
  for (const row of rows) {
    const lightest = shares.reduce((a, b) => (a.bytes <= b.bytes ? a : b));
    lightest.files.push([row.path, row.language]);
    lightest.bytes += row.size;
  }
  const started = performance.now();
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { root, files: share.files } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const parseMs = results.reduce((sum, r) => sum + r.parseMs, 0);
  const bytes = results.reduce((sum, r) => sum + r.bytes, 0);
  console.log(
    JSON.stringify({
      files: rows.length,
      bytes,
      cores,
      parseMs: Math.round(parseMs),
      floorMs: Math.round(parseMs / cores),
      wallMs: Math.round(performance.now() - started),
    }),
  );
} else {
  const { Parser } = await import('web-tree-sitter');
  const { loadGrammar } = await import('../dist/parse/grammars.js');
  await Parser.init();
  const parser = new Parser();
  const grammars = new Map();
  let parseMs = 0;
  let bytes = 0;
  for (const [path, language] of workerData.files) {
    let source;
    try {
      source = readFileSync(join(workerData.root, path), 'utf8');
    } catch {
      continue;
    }
    if (!grammars.has(language)) grammars.set(language, await loadGrammar(language));
    parser.setLanguage(grammars.get(language));
    const t0 = performance.now();
    const tree = parser.parse(source);
    parseMs += performance.now() - t0;
    tree?.delete();
    bytes += Buffer.byteLength(source);
  }
  parentPort.postMessage({ parseMs, bytes });
}
