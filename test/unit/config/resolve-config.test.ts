import { describe, expect, it } from 'vitest';
import { parseByteSize, parseDuration, resolveConfig } from '../../../src/config/resolve-config.js';
import { GroveError } from '../../../src/errors.js';
import { planMemory } from '../../../src/pipeline/memory-plan.js';

describe('parseByteSize', () => {
  it.each([
    ['256M', 256 * 1024 * 1024],
    ['1G', 1024 ** 3],
    ['1.5g', 1.5 * 1024 ** 3],
    ['64k', 64 * 1024],
    ['512MiB', 512 * 1024 * 1024],
    ['1048576', 1048576],
  ])('reads %s', (text, bytes) => {
    expect(parseByteSize(text, '--max-memory')).toBe(bytes);
  });

  it.each([
    '',
    'lots',
    '-5M',
    '0',
    '12X',
  ])('refuses %j with a CONFIG_INVALID error naming the option', (text) => {
    try {
      parseByteSize(text, '--max-memory');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GroveError);
      expect((error as GroveError).code).toBe('CONFIG_INVALID');
      expect((error as GroveError).message).toContain('--max-memory');
    }
  });
});

describe('parseDuration', () => {
  it('reads milliseconds, seconds and minutes, and plain numbers as milliseconds', () => {
    expect(parseDuration('500ms', '--parse-timeout')).toBe(500);
    expect(parseDuration('20s', '--parse-timeout')).toBe(20_000);
    expect(parseDuration('1.5S', '--parse-timeout')).toBe(1500);
    expect(parseDuration('2m', '--parse-timeout')).toBe(120_000);
    expect(parseDuration('750', '--parse-timeout')).toBe(750);
    expect(parseDuration(12.2, '--parse-timeout')).toBe(13);
  });

  it('refuses zero, negatives and garbage with CONFIG_INVALID naming the option', () => {
    for (const bad of ['0s', '-1s', 'soon', '10h', '', 0, Number.NaN]) {
      const error = (() => {
        try {
          parseDuration(bad, '--parse-timeout');
        } catch (caught) {
          return caught as GroveError;
        }
        return null;
      })();
      expect(error?.code, String(bad)).toBe('CONFIG_INVALID');
      expect(error?.message).toContain('--parse-timeout');
    }
  });

  it('is the per-file parse timeout of the resolved config', () => {
    expect(resolveConfig('/tmp/x', { parseTimeoutMs: '3s' }).parseTimeoutMs).toBe(3000);
    expect(resolveConfig('/tmp/x').parseTimeoutMs).toBe(20_000);
  });
});

describe('resolveConfig', () => {
  it('defaults the index to <root>/.grove and freezes the result', () => {
    const config = resolveConfig('/tmp/repo', {});
    expect(config.indexDir).toBe('/tmp/repo/.grove');
    expect(config.dbPath).toBe('/tmp/repo/.grove/index.db');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses a budget too small to run at all', () => {
    expect(() => resolveConfig('/tmp/repo', { maxMemory: '16M' })).toThrow(/at least 128M/);
    expect(() => resolveConfig('/tmp/repo', { maxMemory: '127M' })).toThrow(/at least 128M/);
    expect(resolveConfig('/tmp/repo', { maxMemory: '128M' }).maxMemory).toBe(128 * 1024 * 1024);
  });
});

describe('planMemory', () => {
  it('fits fewer workers into a smaller budget, never zero', () => {
    expect(planMemory(512 * 1024 * 1024, 8).workers).toBeGreaterThan(
      planMemory(160 * 1024 * 1024, 8).workers,
    );
    expect(planMemory(100 * 1024 * 1024, 8).workers).toBe(1);
    expect(planMemory(4 * 1024 ** 3, 2).workers).toBe(2);
  });

  it('keeps grammar code on V8 baseline code only when the optimizing compiler would not fit', () => {
    const MIB = 1024 * 1024;
    expect(planMemory(160 * MIB, 2)).toMatchObject({ workers: 1, baselineWasmOnly: true });
    expect(planMemory(176 * MIB, 2)).toMatchObject({ workers: 1, baselineWasmOnly: false });
    expect(planMemory(200 * MIB, 2)).toMatchObject({ workers: 2, baselineWasmOnly: true });
    expect(planMemory(256 * MIB, 2)).toMatchObject({ workers: 2, baselineWasmOnly: false });
    expect(planMemory(512 * MIB, 8).baselineWasmOnly).toBe(false);
  });
});

describe('project macros', () => {
  it('sorts them and drops repeats and empty names', () => {
    expect(resolveConfig('/repo', { macros: ['B_API', 'A_ALIGN()', 'B_API', ''] }).macros).toEqual([
      'A_ALIGN()',
      'B_API',
    ]);
  });

  it('refuses what is not a C identifier, with CONFIG_INVALID naming --macro', () => {
    for (const name of ['my macro', '1ST', 'F(x)', 'A()()']) {
      expect(() => resolveConfig('/repo', { macros: [name] })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', details: { option: '--macro' } }),
      );
    }
  });
});
