// Preloaded into the daemon by `bench/daemon-latency.js --profile DIR` (NODE_OPTIONS=--import): records
// the event loop's delay and every GC pause, and writes both to DIR/loop-probe-<pid>.json at exit, so
// a latency tail can be laid against what blocked the loop. Bench-only: an idle daemon must not wake up
// for a sampling timer, so none of this is in src/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.GROVE_LOOP_PROBE_DIR;
if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const gc = {};
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind =
        { 1: 'scavenge', 2: 'markCompact', 4: 'incremental', 8: 'weakCallbacks' }[entry.detail?.kind] ??
        'other';
      gc[kind] ??= [];
      gc[kind].push(entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const ms = (ns) => Math.round(ns / 1e3) / 1e3;
  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p) =>
      Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 1000) / 1000;
    return {
      n: sorted.length,
      totalMs: Math.round(sorted.reduce((a, b) => a + b, 0)),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: at(1),
    };
  };
  process.once('exit', () => {
    const report = {
      eventLoopDelay: {
        p50Ms: ms(delay.percentile(50)),
        p99Ms: ms(delay.percentile(99)),
        maxMs: ms(delay.max),
      },
      gc: Object.fromEntries(Object.entries(gc).map(([kind, values]) => [kind, summary(values)])),
    };
    writeFileSync(join(dir, `loop-probe-${process.pid}.json`), `${JSON.stringify(report, null, 2)}\n`);
  });
}
