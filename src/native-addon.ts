/**
 * grove's native addon (`build/Release/grove_scan.node`, built by `npm install`): the directory scanner
 * (pipeline/stages/native-scan.ts) and the native heap trim (obs/native-heap.ts). Everything it offers has
 * a fallback, so a missing or unloadable addon is null, never an error.
 */
import { createRequire } from 'node:module';

let loaded: Record<string, unknown> | null | undefined;

export function nativeAddon(): Record<string, unknown> | null {
  if (loaded !== undefined) return loaded;
  try {
    // src/ and dist/ are both one level below the package root.
    loaded = createRequire(import.meta.url)('../build/Release/grove_scan.node') as Record<string, unknown>;
  } catch {
    loaded = null;
  }
  return loaded;
}
