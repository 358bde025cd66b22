/**
 * An index remembers the settings it was built with: later runs that give none (the next `grove index`,
 * the daemon's runs, its watcher's paths runs, a rebuild, a dry run) keep what the user excluded out; a
 * run that gives a setting replaces it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { planDryRun } from '../../src/pipeline/dry-run.js';
import { openIndex } from '../../src/query/open-index.js';
import { Store } from '../../src/store/store.js';
import { index } from '../helpers/index-runs.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grove-settings-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'src/main.c'), 'int main_entry(void) { return 0; }\n');
  writeFileSync(join(dir, 'data/dump.c'), 'int dumped(void) { return 1; }\n');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function indexedPaths(): string[] {
  const store = Store.open(join(dir, '.grove', 'index.db'), { readonly: true });
  try {
    return [...store.files()].map((file) => file.path).sort();
  } finally {
    store.close();
  }
}

describe('settings an index remembers', () => {
  it('keeps an exclude for later runs that give none: whole tree, paths, rebuild and dry run', async () => {
    await index(dir, { exclude: ['data/**'] });
    expect(indexedPaths()).toEqual(['src/main.c']);

    writeFileSync(join(dir, 'data/dump.c'), 'int dumped_again(void) { return 2; }\n');
    await index(dir);
    expect(indexedPaths()).toEqual(['src/main.c']);

    // What the daemon's watcher does with a changed file.
    await index(dir, { paths: ['data/dump.c'] });
    expect(indexedPaths()).toEqual(['src/main.c']);

    await index(dir, { full: true });
    expect(indexedPaths()).toEqual(['src/main.c']);

    const plan = await planDryRun(resolveConfig(dir));
    expect(plan.files.total).toBe(1);

    const opened = openIndex(join(dir, '.grove'));
    try {
      expect(opened.status().settings).toMatchObject({ include: [], exclude: ['data/**'] });
    } finally {
      opened.close();
    }
  });

  it('replaces a setting a run gives, and an empty pattern clears the list', async () => {
    await index(dir, { exclude: ['data/**'] });
    await index(dir, { exclude: ['src/**'] });
    expect(indexedPaths()).toEqual(['data/dump.c']);
    await index(dir, { exclude: [''] });
    expect(indexedPaths()).toEqual(['data/dump.c', 'src/main.c']);
    await index(dir);
    expect(indexedPaths()).toEqual(['data/dump.c', 'src/main.c']);
  });

  it('remembers the size limits too', async () => {
    writeFileSync(join(dir, 'src/big.c'), `int big(void) { return 0; }\n${'/* padding */\n'.repeat(400)}`);
    await index(dir, { maxFileSize: '1k' });
    await index(dir, { full: true });
    const store = Store.open(join(dir, '.grove', 'index.db'), { readonly: true });
    try {
      const big = [...store.files()].find((file) => file.path === 'src/big.c');
      expect(big?.state).toBe('text-only');
    } finally {
      store.close();
    }
  });

  it('parses C with the project macros it remembers, and redoes the files when the list changes', async () => {
    // Unread, `LIB_ALIGN(16)` hides the struct and both macros become made-up type references.
    writeFileSync(
      join(dir, 'src/lib.c'),
      'struct LIB_ALIGN(16) buffer { char data[64]; };\nstatic lib_inline int tiny(void) { return 1; }\n',
    );
    const bufferStructs = () => {
      const store = Store.open(join(dir, '.grove', 'index.db'), { readonly: true });
      try {
        return store.symbols('buffer').length;
      } finally {
        store.close();
      }
    };
    await index(dir);
    expect(bufferStructs()).toBe(0);

    const withMacros = await index(dir, { macros: ['lib_inline', 'LIB_ALIGN()'] });
    expect(bufferStructs()).toBe(1);
    // The list is part of the C files' extractor version: all three are parsed again.
    expect(withMacros.run.filesWritten).toBe(3);

    const plain = await index(dir);
    expect(plain.run.filesWritten).toBe(0);
    await index(dir, { full: true });
    expect(bufferStructs()).toBe(1);

    const cleared = await index(dir, { macros: [''] });
    expect(cleared.run.filesWritten).toBe(3);
    expect(bufferStructs()).toBe(0);
  });
});
