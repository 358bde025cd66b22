// Times the walk stage over a tree (default: the kernel corpus) against `rg --files` and `git ls-files`
// when available. Run after `npm run build`: node bench/walk-speed.js [root] [runs]
import { execFileSync } from 'node:child_process';
import { walk } from '../dist/pipeline/stages/walk.js';

const root = process.argv[2] ?? `${process.env.HOME}/.cache/grove-corpus/linux`;
const runs = Number(process.argv[3] ?? 3);

function timePeer(command, args) {
  try {
    const start = performance.now();
    const out = execFileSync(command, args, { cwd: root, maxBuffer: 1 << 30 });
    const ms = performance.now() - start;
    let lines = 0;
    for (const byte of out) if (byte === 10) lines++;
    return { ms, lines };
  } catch {
    return null;
  }
}

for (let run = 0; run < runs; run++) {
  const start = performance.now();
  let files = 0;
  let problems = 0;
  for await (const item of walk(root)) {
    if ('absPath' in item) files++;
    else problems++;
  }
  const ms = performance.now() - start;
  console.log(`grove walk: ${files} files, ${problems} problems, ${ms.toFixed(0)} ms`);
}
for (const [name, command, args] of [
  ['rg --files', 'rg', ['--files']],
  ['git ls-files', 'git', ['ls-files']],
]) {
  const result = timePeer(command, args);
  if (result) console.log(`${name}: ${result.lines} files, ${result.ms.toFixed(0)} ms`);
}
