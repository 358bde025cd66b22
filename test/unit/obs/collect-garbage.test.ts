import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const GC_MODULE = new URL('../../../dist/obs/collect-garbage.js', import.meta.url).href;

describe('collectGarbage', () => {
  it('collects in a Node started without --expose-gc, and leaves the host without a global gc', () => {
    // A library host or `node bin/grove.js` does not pass the flag; the budget's collections must still run.
    const script = `
      import { collectGarbage } from ${JSON.stringify(GC_MODULE)};
      let garbage = Array.from({ length: 400000 }, (_, i) => ({ i, text: 'x'.repeat(i % 64) }));
      const allocated = process.memoryUsage().heapUsed;
      garbage = null;
      const ran = collectGarbage();
      const after = process.memoryUsage().heapUsed;
      const laterContextHasGc = (await import('node:vm')).runInNewContext('typeof gc');
      console.log(JSON.stringify({ ran, allocated, after, globalGc: typeof globalThis.gc, laterContextHasGc }));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(result.ran).toBe(true);
    expect(result.after as number).toBeLessThan((result.allocated as number) / 2);
    expect(result.globalGc).toBe('undefined');
    expect(result.laterContextHasGc).toBe('undefined');
  });
});
