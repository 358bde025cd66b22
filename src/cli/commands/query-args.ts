/** Argument parsing shared by the query commands (search, symbols, map, context). */
import { GroveError } from '../../errors.js';

/** Options every query command takes: machine output and where the index lives. */
export const QUERY_OPTIONS = {
  json: { type: 'boolean', default: false },
  index: { type: 'string' },
} as const;

/** A `--limit`/`--tokens` style option: a whole number in [min, max], or `fallback` when absent. */
export function parseLimit(
  value: string | undefined,
  fallback: number,
  max: number,
  name = '--limit',
  min = 1,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new GroveError('USAGE', `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}
