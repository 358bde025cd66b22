/**
 * Glob matchers (picomatch), for `--include`/`--exclude` and search's `--path` filters. picomatch is
 * required on first use, not imported: most runs pass no glob, and loading it was ~5 ms of every
 * re-run's startup.
 */
import { createRequire } from 'node:module';
import type Picomatch from 'picomatch';

let loaded: typeof Picomatch | undefined;

export function globMatcher(
  patterns: string | string[],
  options: Picomatch.PicomatchOptions,
): (path: string) => boolean {
  loaded ??= createRequire(import.meta.url)('picomatch') as typeof Picomatch;
  return loaded(patterns, options);
}
