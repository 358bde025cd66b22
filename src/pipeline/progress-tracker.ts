/** Counts what the run has found and done, and turns the counts into rates and an ETA. */
import type { FileRecord } from '../model.js';
import { currentRss } from '../obs/rss.js';
import type { FileCounts, ProgressEvent } from './index-events.js';
import type { MemoryBudget } from './memory-budget.js';

export class ProgressTracker {
  readonly #startedAt = performance.now();
  readonly #budget: MemoryBudget;
  filesFound = 0;
  bytesFound = 0;
  /** Files finished this run: written, or found unchanged. */
  filesDone = 0;
  bytesDone = 0;
  filesWritten = 0;
  filesUnchanged = 0;
  walkDone = false;
  readonly written: FileCounts = { indexed: 0, textOnly: 0, skipped: 0, failed: 0 };

  constructor(budget: MemoryBudget) {
    this.#budget = budget;
  }

  get elapsedMs(): number {
    return performance.now() - this.#startedAt;
  }

  found(size: number): void {
    this.filesFound++;
    this.bytesFound += size;
  }

  unchanged(size: number): void {
    this.filesDone++;
    this.filesUnchanged++;
    this.bytesDone += size;
  }

  stored(file: FileRecord): void {
    this.filesDone++;
    this.filesWritten++;
    this.bytesDone += file.size;
    const key = file.state === 'text-only' ? 'textOnly' : file.state;
    this.written[key]++;
  }

  snapshot(): ProgressEvent {
    const seconds = Math.max(this.elapsedMs / 1000, 0.001);
    const bytesPerSec = this.bytesDone / seconds;
    const remaining = this.bytesFound - this.bytesDone;
    const etaMs = this.walkDone && bytesPerSec > 0 ? Math.round((remaining / bytesPerSec) * 1000) : null;
    return {
      type: 'progress',
      filesDone: this.filesDone,
      filesFound: this.filesFound,
      walkDone: this.walkDone,
      bytesDone: this.bytesDone,
      bytesFound: this.bytesFound,
      filesPerSec: Math.round(this.filesDone / seconds),
      mbPerSec: Math.round((bytesPerSec / (1024 * 1024)) * 100) / 100,
      etaMs,
      rssBytes: currentRss(),
      pressure: this.#budget.pressure,
      inFlightBytes: this.#budget.inFlightBytes,
    };
  }
}
