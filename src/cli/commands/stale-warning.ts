import type { Freshness } from '../../query/freshness.js';

/** One line telling a human that answers may be out of date, or null when the index is current. */
export function staleWarning(freshness: Freshness): string | null {
  if (freshness.dirtyFiles === 0) return null;
  const files = freshness.dirtyFiles === 1 ? '1 file has' : `${freshness.dirtyFiles} files have`;
  return `warning: ${files} changed since the index was built (${freshness.indexedAt ?? 'unknown time'}); run \`grove index\` to refresh`;
}
