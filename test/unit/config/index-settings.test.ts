/** Remembered settings: a given setting wins, a missing one comes from the index, a bad meta is ignored. */
import { describe, expect, it } from 'vitest';
import { settingsMeta, withRememberedSettings } from '../../../src/config/index-settings.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';

const remembered = settingsMeta(
  resolveConfig('/repo', { exclude: ['data/**'], macros: ['MY_API', 'MY_ALIGN()'], maxFileSize: '2M' }),
);

describe('withRememberedSettings', () => {
  it('takes the settings a run was not given from the index', () => {
    const config = withRememberedSettings(resolveConfig('/repo', { hardCap: '1G' }), remembered);
    expect(config.exclude).toEqual(['data/**']);
    expect(config.macros).toEqual(['MY_ALIGN()', 'MY_API']);
    expect(config.maxFileSize).toBe(2 * 1024 * 1024);
    expect(config.hardCap).toBe(1024 * 1024 * 1024);
    expect(config.include).toEqual([]);
  });

  it('keeps what a run gives, an empty pattern clearing the list', () => {
    const config = withRememberedSettings(
      resolveConfig('/repo', { exclude: [''], macros: [''], maxFileSize: '4M' }),
      remembered,
    );
    expect(config.exclude).toEqual([]);
    expect(config.macros).toEqual([]);
    expect(config.maxFileSize).toBe(4 * 1024 * 1024);
  });

  it('ignores a missing or unreadable meta value and invalid entries', () => {
    const given = resolveConfig('/repo');
    expect(withRememberedSettings(given, null)).toBe(given);
    expect(withRememberedSettings(given, '{not json')).toBe(given);
    const odd = withRememberedSettings(
      given,
      JSON.stringify({ exclude: [1], macros: ['not a name'], maxFileSize: -5, hardCap: 2048 }),
    );
    expect(odd.exclude).toEqual([]);
    expect(odd.macros).toEqual([]);
    expect(odd.maxFileSize).toBe(given.maxFileSize);
    expect(odd.hardCap).toBe(2048);
  });
});
