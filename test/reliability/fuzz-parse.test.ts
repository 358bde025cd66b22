/**
 * Fuzzing the parse side with real grammars, seeded and bounded: the extractor (AST chunker, definitions,
 * references, imports) on mutated code and noise in every language, and the worker pool on random bytes in
 * every encoding. No crash, no hang (every call runs under the per-file timeout), and the invariants hold:
 * chunks cover the file in order, every range lies inside it. Also proves the timeout itself.
 */
import { describe, expect, it } from 'vitest';
import { isErrorCode } from '../../src/errors.js';
import type { Extraction } from '../../src/model.js';
import { ParsePool } from '../../src/parse/parse-pool.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { expectChunkInvariants, linesOf } from '../unit/parse/chunk-invariants.js';
import { fuzzSource, goldenSources, LANGUAGES, pick, randomBytes } from './fuzz-inputs.js';
import { report, SCALE, SEED } from './scale.js';

/** Parsing is ~100x dearer than classifying: a fifth of the iterations keeps CI fast. */
const ITERATIONS = Math.ceil(SCALE.fuzzIterations / 5);
/** Generous for inputs of a few KiB; a hang would still end here instead of stalling the suite. */
const TIMEOUT_MS = 3_000;

function fuzzPool(): ParsePool {
  return new ParsePool({
    size: 2,
    heapLimitMb: 64,
    recycleAfterBytes: 4 << 20,
    recycleAboveBytes: 96 << 20,
    recycleAfterFileBytes: 128 << 10,
    timeoutMs: TIMEOUT_MS,
  });
}

function expectRangesInside(source: string, extraction: Extraction, label: string): void {
  // A definition may end on the line after a final newline (tree-sitter's end point); never beyond.
  const last = Math.max(1, linesOf(source).length + 1);
  for (const symbol of extraction.symbols) {
    expect(symbol.name.length, label).toBeGreaterThan(0);
    expect(symbol.startLine, `${label}: ${symbol.name}`).toBeGreaterThanOrEqual(1);
    expect(symbol.endLine, `${label}: ${symbol.name}`).toBeGreaterThanOrEqual(symbol.startLine);
    expect(symbol.endLine, `${label}: ${symbol.name}`).toBeLessThanOrEqual(last);
  }
  for (const item of [...extraction.refs, ...extraction.imports]) {
    expect(item.line, label).toBeGreaterThanOrEqual(1);
    expect(item.line, label).toBeLessThanOrEqual(last);
  }
}

describe(`fuzzing the extractors and chunkers (${ITERATIONS} iterations, seed ${SEED})`, () => {
  it(
    'extracts from mutated code and noise in every language, in real workers, keeping the invariants',
    async () => {
      const random = seededRandom(SEED + 3);
      const golden = goldenSources();
      const outcomes = { ok: 0, PARSE_TIMEOUT: 0, PARSE_FAILED: 0, WORKER_CRASHED: 0 };
      const pool = fuzzPool();
      try {
        // Two at a time, as the pipeline feeds them; a hang ends at the pool's watchdog, never here.
        for (let i = 0; i < ITERATIONS; i += 2) {
          const jobs = [i, i + 1].map((n) => {
            const language = LANGUAGES[n % LANGUAGES.length]!;
            const bytes = new TextEncoder().encode(fuzzSource(random, golden.get(language)!));
            // What the worker sees: lone surrogates replaced, a leading BOM dropped.
            const source = new TextDecoder().decode(bytes);
            const label = `iteration ${n} (${language}, ${source.length} chars, seed ${SEED})`;
            return { label, source, run: pool.run({ language, bytes, encoding: 'utf-8', bomBytes: 0 }) };
          });
          for (const job of jobs) {
            const outcome = await job.run;
            if (!outcome.ok) {
              expect(Object.keys(outcomes), `${job.label}: ${outcome.error.message}`).toContain(
                outcome.error.code,
              );
              outcomes[outcome.error.code as keyof typeof outcomes]++;
              continue;
            }
            expectChunkInvariants(job.source, outcome.extraction.chunks);
            expectRangesInside(job.source, outcome.extraction, job.label);
            outcomes.ok++;
          }
        }
      } finally {
        await pool.close();
      }
      report('extractor fuzz (real workers)', {
        iterations: ITERATIONS,
        languages: LANGUAGES.length,
        ...outcomes,
        workersReplaced: pool.stats.recycled + pool.stats.crashes,
      });
      expect(outcomes.ok).toBeGreaterThan(ITERATIONS * 0.9);
    },
    SCALE.timeoutMs,
  );

  it(
    'the worker pool answers every random byte string in every encoding with a result or a coded error',
    async () => {
      const random = seededRandom(SEED + 4);
      const pool = fuzzPool();
      try {
        const jobs = Array.from({ length: Math.ceil(ITERATIONS / 2) }, () => {
          const encoding = pick(random, ['utf-8', 'utf-16le', 'utf-16be'] as const);
          const bytes = randomBytes(random, 12_000);
          const bomBytes = Math.min(pick(random, [0, 2, 3]), bytes.length);
          return { language: pick(random, LANGUAGES), bytes, encoding, bomBytes };
        });
        // Two at a time, as the pipeline feeds them: the pool queues, never drops.
        for (let i = 0; i < jobs.length; i += 2) {
          const outcomes = await Promise.all(jobs.slice(i, i + 2).map((job) => pool.run(job)));
          for (const outcome of outcomes) {
            if (outcome.ok) {
              expect(outcome.hash).toMatch(/^[0-9a-f]{64}$/);
              for (const chunk of outcome.extraction.chunks)
                expect(chunk.endLine).toBeGreaterThanOrEqual(chunk.startLine);
            } else {
              expect(isErrorCode(outcome.error.code), JSON.stringify(outcome.error)).toBe(true);
              expect(['PARSE_TIMEOUT', 'PARSE_FAILED', 'WORKER_CRASHED']).toContain(outcome.error.code);
            }
          }
        }
        report('worker pool fuzz', { jobs: jobs.length, ...pool.stats });
        expect(pool.stats.tasks).toBe(jobs.length);
      } finally {
        await pool.close();
      }
    },
    SCALE.timeoutMs,
  );
});

describe('the per-file parse timeout', () => {
  it('stops a real grammar on a pathological file with PARSE_TIMEOUT instead of hanging', async () => {
    const pool = new ParsePool({
      size: 1,
      heapLimitMb: 256,
      recycleAfterBytes: 1 << 30,
      recycleAboveBytes: 1 << 30,
      recycleAfterFileBytes: 1 << 30,
      timeoutMs: 1,
    });
    try {
      // Deep nesting and many definitions: far more than a millisecond of parsing and querying.
      const pathological = `int f(void) { return ${'('.repeat(5000)}1${')'.repeat(5000)}; }\n`.repeat(40);
      const bytes = new TextEncoder().encode(pathological);
      const slow = await pool.run({ language: 'c', bytes, encoding: 'utf-8', bomBytes: 0 });
      expect(slow).toMatchObject({ ok: false, error: { code: 'PARSE_TIMEOUT' } });
      expect(pool.stats.timeouts).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
