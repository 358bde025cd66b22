/** Reads the settings an existing index remembers (config/index-settings.ts) without writing to it. */
import { existsSync } from 'node:fs';
import { SETTINGS_META_KEY } from '../config/index-settings.js';
import { Store } from '../store/store.js';

/** The settings meta of the index at `dbPath`; null when there is none or it cannot be opened. */
export function readRememberedSettings(dbPath: string): string | null {
  if (!existsSync(dbPath)) return null;
  try {
    const store = Store.open(dbPath, { readonly: true });
    try {
      return store.getMeta(SETTINGS_META_KEY);
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}
