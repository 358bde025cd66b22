/** The parse pool a run's memory plan asks for; shared by indexing runs and long-lived hosts (the daemon). */
import type { ResolvedConfig } from '../config/resolve-config.js';
import { ParsePool } from '../parse/parse-pool.js';
import type { MemoryPlan } from './memory-plan.js';

export function createParsePool(config: Pick<ResolvedConfig, 'parseTimeoutMs'>, plan: MemoryPlan): ParsePool {
  return new ParsePool({
    size: plan.workers,
    heapLimitMb: plan.workerHeapLimitMb,
    recycleAfterBytes: plan.recycleWorkerAfterBytes,
    recycleAboveBytes: plan.recycleWorkerAboveBytes,
    recycleAfterFileBytes: plan.recycleWorkerAfterFileBytesRelaxed,
    timeoutMs: config.parseTimeoutMs,
    baselineWasmOnly: plan.baselineWasmOnly,
  });
}
