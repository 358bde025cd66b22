/**
 * The human form of a dry-run report: totals, languages by bytes, planned states and their top reasons,
 * the paths rules leave out, and the time estimate. Pure: it returns text and the command prints it.
 */
import type { DryRunReport } from '../pipeline/dry-run.js';
import { formatCount as count, formatBytes, formatDuration } from './format.js';

/** Enough rows to see where the bytes are; the rest are summed into one line. */
const MAX_LANGUAGES = 12;
const MAX_REASONS = 10;
const MAX_EXCLUDED_SHOWN = 20;

/** Formats `report` as a compact multi-line text for a terminal (no colour, no trailing newline). */
export function formatDryRun(report: DryRunReport): string {
  const lines: string[] = [];
  const { files, byState, estimate } = report;
  lines.push(`Dry run of ${report.root}: nothing was parsed or written.`);
  lines.push(
    `${count(files.total)} files, ${formatBytes(files.bytes)} (planned in ${formatMs(report.wallMs)})`,
  );
  lines.push('');
  lines.push(...languageTable(report));
  lines.push('');
  lines.push(
    `Planned: ${count(byState.indexed)} indexed, ${count(byState.textOnly)} text-only, ` +
      `${count(byState.skipped)} skipped, ${count(byState.failed)} failed`,
  );
  const reasons = Object.entries(report.byReason).sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
  for (const [reason, n] of reasons.slice(0, MAX_REASONS))
    lines.push(`  ${pad(count(n), 8, 'left')}  ${reason}`);
  if (reasons.length > MAX_REASONS) lines.push(`  ... ${reasons.length - MAX_REASONS} more reasons`);
  lines.push('');
  lines.push(...excludedLines(report));
  lines.push('');
  lines.push(
    `Estimate: ${formatSeconds(estimate.seconds)} to index (${formatBytes(estimate.parseBytes)} to parse, ` +
      `${formatBytes(estimate.textBytes)} as text, ${estimate.workers} worker${estimate.workers === 1 ? '' : 's'})`,
  );
  lines.push(`  ${estimate.basis}`);
  return lines.join('\n');
}

function languageTable(report: DryRunReport): string[] {
  const rows = Object.entries(report.byLanguage).sort(
    (a, b) => b[1].bytes - a[1].bytes || compare(a[0], b[0]),
  );
  const table = rows.slice(0, MAX_LANGUAGES).map(([language, row]) => [
    language,
    count(row.files),
    formatBytes(row.bytes),
    Object.entries(row.strategy)
      .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))
      .map(([strategy, n]) => `${strategy} ${count(n)}`)
      .join(', '),
  ]);
  const rest = rows.slice(MAX_LANGUAGES);
  if (rest.length > 0) {
    const files = rest.reduce((sum, [, row]) => sum + row.files, 0);
    const bytes = rest.reduce((sum, [, row]) => sum + row.bytes, 0);
    table.push([`(${rest.length} more)`, count(files), formatBytes(bytes), '']);
  }
  return columns([['language', 'files', 'bytes', 'plan'], ...table], ['right', 'left', 'left', 'right']);
}

function excludedLines(report: DryRunReport): string[] {
  if (report.excludedCount === 0) return ['Excluded: nothing left out by ignore rules or --exclude.'];
  const lines = [`Excluded by rules: ${count(report.excludedCount)} paths (not walked)`];
  const shown = report.excluded.slice(0, MAX_EXCLUDED_SHOWN);
  const width = Math.max(...shown.map((e) => e.path.length));
  for (const { path, reason } of shown) lines.push(`  ${pad(path, width, 'right')}  ${reason}`);
  if (report.excludedCount > shown.length)
    lines.push(`  ... ${count(report.excludedCount - shown.length)} more`);
  return lines;
}

/** Aligns cells into columns; `right` pads on the right (text), `left` pads on the left (numbers). */
function columns(rows: string[][], align: Array<'left' | 'right'>): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) =>
    `  ${row.map((cell, i) => pad(cell, widths[i]!, align[i]!)).join('  ')}`.trimEnd(),
  );
}

function pad(text: string, width: number, side: 'left' | 'right'): string {
  return side === 'left' ? text.padStart(width) : text.padEnd(width);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatSeconds(seconds: number): string {
  return seconds < 1 ? 'under 1s' : `~${formatDuration(seconds * 1000)}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}
