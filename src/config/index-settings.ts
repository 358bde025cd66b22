/**
 * What an index remembers of how it was built: the include and exclude globs, the project macros and the
 * size limits. A run that does not give one of them uses the remembered value, so `grove index --exclude
 * 'data/**'` once keeps `data/` out of every later run: the next `grove index`, the daemon's runs and its
 * watcher's. Before, those runs used the defaults and indexed what the user had excluded. A run that
 * gives a setting replaces it (`--exclude ''` clears the excludes); files the new settings leave out
 * leave the index on that run, as any file the walk no longer finds does.
 */
import { MACRO_NAME, type RememberedSetting, type ResolvedConfig } from './resolve-config.js';

/** The meta key of the remembered settings (JSON). */
export const SETTINGS_META_KEY = 'settings';

type IndexSettings = Pick<ResolvedConfig, RememberedSetting>;
/** The settings an index remembers (those it holds valid values for). */
export type StoredSettings = { -readonly [K in RememberedSetting]?: ResolvedConfig[K] };

/** `config` with each setting it was not given taken from `remembered` (the meta value, if any). */
export function withRememberedSettings(config: ResolvedConfig, remembered: string | null): ResolvedConfig {
  const stored = readSettings(remembered);
  if (stored === null) return config;
  const merged: Record<string, unknown> = { ...config };
  for (const setting of Object.keys(stored) as RememberedSetting[]) {
    if (!config.given.has(setting)) merged[setting] = stored[setting];
  }
  return Object.freeze(merged as unknown as ResolvedConfig);
}

/** The meta value recording `config`'s settings. */
export function settingsMeta(config: ResolvedConfig): string {
  const settings: IndexSettings = {
    include: config.include,
    exclude: config.exclude,
    macros: config.macros,
    maxFileSize: config.maxFileSize,
    hardCap: config.hardCap,
  };
  return JSON.stringify(settings);
}

/** The valid settings in a meta value; a value this grove cannot read is ignored, not fatal. */
export function readSettings(value: string | null): StoredSettings | null {
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  const settings: StoredSettings = {};
  for (const key of ['include', 'exclude'] as const) {
    const list = record[key];
    if (Array.isArray(list) && list.every((item) => typeof item === 'string')) {
      settings[key] = Object.freeze([...list]);
    }
  }
  const macros = record.macros;
  if (Array.isArray(macros) && macros.every((name) => typeof name === 'string' && MACRO_NAME.test(name))) {
    settings.macros = Object.freeze([...macros]);
  }
  for (const key of ['maxFileSize', 'hardCap'] as const) {
    const bytes = record[key];
    if (typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes > 0) settings[key] = bytes;
  }
  return settings;
}
