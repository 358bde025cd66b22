/**
 * Sizes and iteration counts of the reliability suite. `npm test` (CI) runs the fast scale: the same
 * structures, smaller. `GROVE_RELIABILITY=full` (what `npm run test:reliability` sets) runs the sizes
 * the issue names: a 1 GiB file, a 100 MiB line, 100k files in one directory, 10k-deep nesting.
 */
export const FULL = process.env.GROVE_RELIABILITY === 'full';

const MIB = 1024 * 1024;

export const SCALE = FULL
  ? {
      giantFileBytes: 1024 * MIB,
      bigLineBytes: 100 * MIB,
      tinyFiles: 100_000,
      nestingDepth: 10_000,
      directoryDepth: 10_000,
      minifiedBytes: 8 * MIB,
      fuzzIterations: 20_000,
      corruptTrials: 24,
      timeoutMs: 1_800_000,
    }
  : {
      giantFileBytes: 12 * MIB,
      bigLineBytes: 3 * MIB,
      tinyFiles: 1_500,
      nestingDepth: 1_000,
      directoryDepth: 260,
      minifiedBytes: 256 * 1024,
      fuzzIterations: 150,
      corruptTrials: 3,
      timeoutMs: 120_000,
    };

/** The seed of every random choice; `GROVE_RELIABILITY_SEED` replays another run. */
export const SEED = Number(process.env.GROVE_RELIABILITY_SEED ?? 0x67726f76);

/** Figures for the report of an on-demand run (inputs, iterations, faults, peak RSS); quiet in CI. */
export function report(what: string, figures: Record<string, unknown>): void {
  if (FULL || process.env.GROVE_RELIABILITY_LOG)
    console.log(`[reliability] ${what}: ${JSON.stringify(figures)}`);
}
