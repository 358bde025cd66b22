/**
 * Rewrites, appends to, deletes and recreates files while grove indexes them, seeded, until stopped: the
 * "files deleted or rewritten while indexing" input. Runs in the test process beside the grove child.
 */
import { appendFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../helpers/seeded-random.js';

export interface ChurnStats {
  rewrites: number;
  appends: number;
  deletes: number;
  recreates: number;
}

export interface Churn {
  /** Stops after the current operation; resolves with what was done. */
  stop(): Promise<ChurnStats>;
}

/** Up to this size per rewrite: big enough that some reads overlap a rewrite. */
const MAX_REWRITE_BYTES = 768 * 1024;

export function startChurn(dir: string, paths: string[], seed: number): Churn {
  const random = seededRandom(seed);
  const stats: ChurnStats = { rewrites: 0, appends: 0, deletes: 0, recreates: 0 };
  const present = new Set(paths);
  let running = true;
  const loop = (async () => {
    while (running) {
      const rel = paths[Math.floor(random() * paths.length)]!;
      const abs = path.join(dir, rel);
      const roll = random();
      try {
        if (!present.has(rel)) {
          await writeFile(abs, `int again_${stats.recreates};\n`);
          present.add(rel);
          stats.recreates++;
        } else if (roll < 0.45) {
          const line = `int rewrite_${stats.rewrites} = ${Math.floor(random() * 1e9)};\n`;
          await writeFile(abs, line.repeat(Math.ceil((random() * MAX_REWRITE_BYTES) / line.length)));
          stats.rewrites++;
        } else if (roll < 0.75) {
          await appendFile(abs, `// appended ${stats.appends}\n`);
          stats.appends++;
        } else {
          await rm(abs, { force: true });
          present.delete(rel);
          stats.deletes++;
        }
      } catch {
        // The directory may be read-only for a moment (never here) or the file racing itself: go on.
      }
      await sleep(1 + Math.floor(random() * 4));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return stats;
    },
  };
}
