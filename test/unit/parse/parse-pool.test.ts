import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParsePool, type ParsePoolOptions } from '../../../src/parse/parse-pool.js';

const MISBEHAVING = new URL('../../fixtures/workers/misbehaving-worker.mjs', import.meta.url);
const FAILING_START = new URL('../../fixtures/workers/failing-start-worker.mjs', import.meta.url);
const pools: ParsePool[] = [];

function pool(options: Partial<ParsePoolOptions> = {}): ParsePool {
  const created = new ParsePool({
    size: 1,
    heapLimitMb: 32,
    recycleAfterBytes: 1 << 30,
    recycleAboveBytes: 1 << 30,
    recycleAfterFileBytes: 1 << 30,
    timeoutMs: 500,
    workerUrl: MISBEHAVING,
    ...options,
  });
  pools.push(created);
  return created;
}

const job = (text: string) => ({
  language: 'c' as const,
  bytes: new TextEncoder().encode(text),
  encoding: 'utf-8' as const,
  bomBytes: 0,
});

afterEach(async () => {
  for (const created of pools.splice(0)) await created.close();
});

describe('ParsePool', () => {
  it('parses with the real worker and grammar', async () => {
    const real = pool({ workerUrl: undefined, timeoutMs: 10_000 });
    const outcome = await real.run(job('int add(int a, int b) { return a + b; }\n'));
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.extraction.symbols.map((s) => s.name)).toContain('add');
      expect(outcome.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('hands its compiled runtime and grammars to every new worker, across languages and replacements', async () => {
    // Every task replaces its worker (none is sent ahead): each new one starts from the compiled modules.
    const real = pool({
      workerUrl: undefined,
      timeoutMs: 10_000,
      size: 2,
      recycleAfterFileBytes: 1,
      pipelineDepth: 1,
    });
    const python = (text: string) => ({ ...job(text), language: 'python' as const });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        real.run(
          i % 2 === 0
            ? job(`int c_fn${i}(void) { return ${i}; }\n`)
            : python(`def py_fn${i}():\n    return ${i}\n`),
        ),
      ),
    );
    const names = outcomes.map((outcome) =>
      outcome.ok ? outcome.extraction.symbols.map((s) => s.name) : outcome.error,
    );
    expect(names).toEqual([['c_fn0'], ['py_fn1'], ['c_fn2'], ['py_fn3'], ['c_fn4'], ['py_fn5']]);
    expect(real.stats.recycled).toBe(6);
  });

  it('sends a compiled grammar with the first task of its language a worker gets, and the runtime at start', async () => {
    const p = pool();
    const sent = [];
    for (const language of ['c', 'c', 'python', 'c'] as const) {
      const outcome = await p.run({ ...job('modules'), language });
      sent.push(outcome.hash);
    }
    expect(sent).toEqual([
      'runtime:true grammar:true',
      'runtime:true grammar:false',
      'runtime:true grammar:true',
      'runtime:true grammar:false',
    ]);
  });

  it.each([
    ['crash', 'WORKER_CRASHED'],
    ['throw', 'WORKER_CRASHED'],
    ['oom', 'WORKER_CRASHED'],
    ['hang', 'PARSE_TIMEOUT'],
  ])('fails only the file when a worker does %s, then carries on with a new worker', async (mode, code) => {
    const p = pool({ timeoutMs: 200 });
    const bad = await p.run(job(mode));
    expect(bad).toMatchObject({ ok: false, error: { code } });
    const good = await p.run(job('fine'));
    expect(good).toMatchObject({ ok: true, hash: 'h:fine' });
  });

  it.each([
    ['crash', 'WORKER_CRASHED'],
    ['hang', 'PARSE_TIMEOUT'],
  ])('runs the tasks posted behind a task whose worker does %s on a new worker', async (mode, code) => {
    const p = pool({ timeoutMs: 200, pipelineDepth: 4 });
    const outcomes = await Promise.all([mode, 'a', 'b', 'c'].map((text) => p.run(job(text))));
    expect(outcomes.map((o) => (o.ok ? o.hash : o.error.code))).toEqual([code, 'h:a', 'h:b', 'h:c']);
    // a, b and c were posted to the first worker behind the bad task, then again to its replacement.
    expect(p.stats.tasks).toBe(7);
  });

  it('answers tasks posted ahead in order while the real worker loads each language', async () => {
    const real = pool({ workerUrl: undefined, timeoutMs: 10_000, pipelineDepth: 8 });
    const python = (text: string) => ({ ...job(text), language: 'python' as const });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        real.run(
          i % 3 === 1
            ? python(`def py_fn${i}():\n    return ${i}\n`)
            : job(`int c_fn${i}(void) { return ${i}; }\n`),
        ),
      ),
    );
    const names = outcomes.map((outcome) =>
      outcome.ok ? outcome.extraction.symbols.map((s) => s.name) : outcome.error,
    );
    expect(names).toEqual([['c_fn0'], ['py_fn1'], ['c_fn2'], ['c_fn3'], ['py_fn4'], ['c_fn5']]);
    expect(real.stats).toMatchObject({ tasks: 6, recycled: 0 });
  });

  it('lets a worker due for replacement finish the tasks it was sent, then replaces it', async () => {
    const p = pool({ recycleAfterFileBytes: 6, pipelineDepth: 4 });
    const texts = ['bigger file', 'a', 'b', 'c', 'another big one', 'd'];
    const outcomes = await Promise.all(texts.map((text) => p.run(job(text))));
    expect(outcomes.map((o) => (o.ok ? o.hash : o.error.code))).toEqual(texts.map((text) => `h:${text}`));
    expect(p.stats.tasks).toBe(6);
    expect(p.stats.recycled).toBe(2);
  });

  it('counts a timeout the real worker stops itself (summary.run.parseTimeouts)', async () => {
    const real = pool({ workerUrl: undefined, timeoutMs: 1 });
    const pathological = `int f(void) { return ${'('.repeat(5000)}1${')'.repeat(5000)}; }\n`.repeat(40);
    expect(await real.run(job(pathological))).toMatchObject({ ok: false, error: { code: 'PARSE_TIMEOUT' } });
    expect(real.stats).toMatchObject({ timeouts: 1, crashes: 0 });
  });

  it('replaces a worker whose tree-sitter trapped, so the files posted behind it parse on another', async () => {
    // Found by the reliability fuzz: this mutated Python makes tree-sitter's WASM access memory out of
    // bounds, after which every parse in that thread fails the same way.
    const trap = readFileSync(new URL('../../fixtures/parse/python-wasm-trap.py', import.meta.url));
    const real = pool({ workerUrl: undefined, timeoutMs: 10_000, pipelineDepth: 4 });
    const python = (text: string) => ({ ...job(text), language: 'python' as const });
    const [bad, ...next] = await Promise.all([
      real.run({ ...python(''), bytes: new Uint8Array(trap) }),
      real.run(python('def after():\n    return 1\n')),
      real.run(python('def later():\n    return 2\n')),
    ]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'PARSE_FAILED', details: { trapped: true } } });
    expect(real.stats.recycled).toBe(1);
    expect(next.map((outcome) => outcome.ok && outcome.extraction.symbols.map((s) => s.name))).toEqual([
      ['after'],
      ['later'],
    ]);
  });

  it('counts a trapped worker once when it was already due for replacement', async () => {
    const trap = readFileSync(new URL('../../fixtures/parse/python-wasm-trap.py', import.meta.url));
    const real = pool({ workerUrl: undefined, timeoutMs: 10_000, pipelineDepth: 4 });
    const python = (text: string) => ({ ...job(text), language: 'python' as const });
    const bad = real.run({ ...python(''), bytes: new Uint8Array(trap) });
    const after = real.run(python('def after():\n    return 1\n'));
    real.recycleAll();
    expect(real.stats.recycled).toBe(1);
    expect(await bad).toMatchObject({ ok: false, error: { details: { trapped: true } } });
    const next = await after;
    expect(next.ok && next.extraction.symbols.map((s) => s.name)).toEqual(['after']);
    expect(real.stats.recycled).toBe(1);
  });

  it('stops a real parse that never checks its deadline (the watchdog), then parses the next file', async () => {
    // Found by the reliability fuzz: tree-sitter loops inside WASM on this Python without ever calling
    // the progress callback that enforces the in-worker timeout.
    const hang = readFileSync(new URL('../../fixtures/parse/python-wasm-hang.py', import.meta.url));
    const real = pool({ workerUrl: undefined, timeoutMs: 300 });
    const python = { language: 'python' as const, encoding: 'utf-8' as const, bomBytes: 0 };
    const stuck = await real.run({ ...python, bytes: new Uint8Array(hang) });
    expect(stuck).toMatchObject({ ok: false, error: { code: 'PARSE_TIMEOUT' } });
    expect(real.stats.timeouts).toBe(1);
    const next = await real.run({
      ...python,
      bytes: new TextEncoder().encode('def after():\n    return 1\n'),
    });
    expect(next.ok && next.extraction.symbols.map((s) => s.name)).toEqual(['after']);
  });

  it('runs tasks on all its workers and queues the rest', async () => {
    const p = pool({ size: 2 });
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((text) => p.run(job(text))));
    expect(outcomes.map((o) => (o.ok ? o.hash : o.error.code))).toEqual(['h:a', 'h:b', 'h:c', 'h:d', 'h:e']);
    expect(p.stats.tasks).toBe(5);
  });

  it('recycles a worker after it has parsed its quota of bytes', async () => {
    const p = pool({ recycleAfterBytes: 8 });
    for (const text of ['12345', '67890', 'abcde', 'fghij']) expect((await p.run(job(text))).ok).toBe(true);
    expect(p.stats.recycled).toBe(2);
  });

  it('recycles a worker after a big file (its tree pages stay resident)', async () => {
    const p = pool({ recycleAfterFileBytes: 6 });
    expect((await p.run(job('small'))).ok).toBe(true);
    expect(p.stats.recycled).toBe(0);
    expect((await p.run(job('bigger file'))).ok).toBe(true);
    expect(p.stats.recycled).toBe(1);
  });

  it('replaces a worker that already parsed a big file when the threshold is lowered', async () => {
    const p = pool();
    expect((await p.run(job('bigger file'))).ok).toBe(true);
    p.setRecycleAfterFileBytes(1 << 20);
    expect(p.stats.recycled).toBe(0);
    p.setRecycleAfterFileBytes(6);
    expect(p.stats.recycled).toBe(1);
    // The replacement has parsed nothing yet; small files keep it.
    expect((await p.run(job('small'))).ok).toBe(true);
    expect(p.stats.recycled).toBe(1);
    expect((await p.run(job('bigger file'))).ok).toBe(true);
    expect(p.stats.recycled).toBe(2);
  });

  it('recycles a worker that reports too much memory', async () => {
    const p = pool({ recycleAboveBytes: 3 });
    expect((await p.run(job('big reply'))).ok).toBe(true);
    expect((await p.run(job('ok'))).ok).toBe(true);
    expect(p.stats.recycled).toBe(1);
  });

  it('answers queued tasks with ABORTED when closed', async () => {
    const p = pool({ timeoutMs: 5_000 });
    const running = p.run(job('hang'));
    const queued = p.run(job('never'));
    await p.close();
    expect(await queued).toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'ABORTED' } });
    await expect(p.run(job('late'))).rejects.toMatchObject({ code: 'ABORTED' });
  });

  describe('a worker that dies of EMFILE while starting', () => {
    let dir: string;
    const failStarts = (times: number) => {
      dir = mkdtempSync(join(tmpdir(), 'grove-starts-'));
      const counter = join(dir, 'failed-starts');
      writeFileSync(counter, String(times));
      process.env.GROVE_TEST_FAILED_STARTS = counter;
    };
    afterEach(() => {
      delete process.env.GROVE_TEST_FAILED_STARTS;
      rmSync(dir, { recursive: true, force: true });
    });

    it('is started again after a pause, and its tasks run on the new worker', async () => {
      failStarts(2);
      const starts = pool({ workerUrl: FAILING_START });
      const outcomes = await Promise.all([starts.run(job('one')), starts.run(job('two'))]);
      expect(outcomes.map((outcome) => outcome.ok && outcome.hash)).toEqual(['h:one', 'h:two']);
      expect(starts.stats.crashes).toBe(0);
    });

    it('fails the task once the pauses are used up', async () => {
      failStarts(10);
      const outcome = await pool({ workerUrl: FAILING_START }).run(job('one'));
      expect(outcome).toMatchObject({ ok: false, error: { code: 'WORKER_CRASHED' } });
      expect(outcome.ok || outcome.error.message).toMatch(/EMFILE/);
    });
  });
});
