/** One redrawn status line on a terminal: files/s, MB/s, ETA, RSS and memory pressure. */
import type { ProgressEvent } from '../pipeline/index-events.js';
import { formatBytes, formatCount, formatDuration } from './format.js';

const BAR_WIDTH = 24;

export function renderProgress(event: ProgressEvent): string {
  const fraction =
    event.walkDone && event.bytesFound > 0 ? Math.min(1, event.bytesDone / event.bytesFound) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = event.walkDone ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]` : '[walking...]';
  const files = `${formatCount(event.filesDone)}/${formatCount(event.filesFound)}${event.walkDone ? '' : '+'} files`;
  const eta = event.etaMs === null ? 'ETA --' : `ETA ${formatDuration(event.etaMs)}`;
  const pressure = event.pressure === 'normal' ? '' : ` pressure:${event.pressure}`;
  return `${bar} ${files}  ${event.filesPerSec} files/s  ${event.mbPerSec.toFixed(1)} MB/s  ${eta}  RSS ${formatBytes(event.rssBytes)}${pressure}`;
}

/** Writes `line` over the previous one (carriage return + clear to end of line). */
export function redraw(line: string): string {
  return `\r${line}\u001b[K`;
}
