import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const RSS_MODULE = new URL('../../../dist/obs/rss.js', import.meta.url).href;

describe('currentRss', () => {
  it('returns the last reading instead of throwing when no file descriptor is left (EMFILE)', () => {
    // A real process that uses up its descriptors: reading the RSS needs one (/proc/self/stat).
    const script = `
      import { openSync } from 'node:fs';
      import { currentRss } from ${JSON.stringify(RSS_MODULE)};
      const before = currentRss();
      const fds = [];
      try { for (;;) fds.push(openSync('/dev/null', 'r')); } catch (error) { if (error.code !== 'EMFILE') throw error; }
      let direct = 'ok';
      try { process.memoryUsage.rss(); } catch (error) { direct = error.code; }
      console.log(JSON.stringify({ before, during: currentRss(), direct }));
    `;
    const child = spawnSync('bash', ['-c', 'ulimit -n 64 && exec node --input-type=module -e "$0"', script], {
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout) as { before: number; during: number; direct: string };
    expect(result.direct).toBe('EMFILE');
    expect(result.before).toBeGreaterThan(0);
    expect(result.during).toBe(result.before);
  });
});
