import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const TRIM_MODULE = new URL('../../../dist/obs/native-heap.js', import.meta.url).href;
const MIB = 1024 * 1024;

describe('trimNativeHeap', () => {
  it('returns the free pages between live allocations to the system', () => {
    // 2,000 freed 16 KiB buffers between 2,000 live 64-byte ones: malloc keeps the holes resident until
    // trimmed (free() alone returns only the top of the heap).
    const script = `
      import { trimNativeHeap } from ${JSON.stringify(TRIM_MODULE)};
      let freed = [];
      const live = [];
      for (let i = 0; i < 2000; i++) {
        freed.push(Buffer.allocUnsafeSlow(16384).fill(1));
        live.push(Buffer.allocUnsafeSlow(64).fill(2));
      }
      freed = null;
      globalThis.gc();
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = process.memoryUsage.rss();
      const released = trimNativeHeap();
      const after = process.memoryUsage.rss();
      console.log(JSON.stringify({ released, dropped: before - after, live: live.length }));
    `;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      // One arena, as in the grove binary: the holes are all in it.
      env: { ...process.env, MALLOC_ARENA_MAX: '2' },
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout) as { released: boolean; dropped: number };
    expect(result.released).toBe(true);
    expect(result.dropped).toBeGreaterThan(16 * MIB);
  });
});
