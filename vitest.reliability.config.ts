import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability`: the reliability suite alone, at the sizes GROVE_RELIABILITY selects (the
 * script sets `full`: a 1 GiB file, 100k files, 10k-deep nesting, long fuzz runs). One file at a time:
 * its tests measure peak RSS and must not share the two cores with each other.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
