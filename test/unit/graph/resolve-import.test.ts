import { describe, expect, it } from 'vitest';
import { createPathIndex } from '../../../src/graph/path-index.js';
import { normalizePath, resolveImport } from '../../../src/graph/resolve-import.js';

const PATHS = [
  'src/app.ts',
  'src/util/strings.ts',
  'src/util/index.ts',
  'src/legacy.js',
  'include/linux/slab.h',
  'arch/x86/include/asm/io.h',
  'arch/arm/include/asm/io.h',
  'drivers/net/local.h',
  'drivers/net/eth.c',
  'pkg/server/server.go',
  'pkg/server/server_test.go',
  'pkg/server/routes.go',
  'tools/report/__init__.py',
  'tools/report/writer.py',
  'tools/main.py',
  'src/main/java/com/acme/Store.java',
  'crates/core/src/lexer.rs',
  'crates/core/src/parser/mod.rs',
  'crates/core/src/lib.rs',
];
const index = createPathIndex(PATHS.map((path, id) => ({ id, path, language: null })));
const paths = (ids: number[]) => ids.map((id) => PATHS[id]);
const resolve = (importer: string, language: string, source: string) =>
  paths(resolveImport(index, importer, language, source));

describe('resolveImport', () => {
  it('resolves relative JavaScript/TypeScript imports with extension and index probing', () => {
    expect(resolve('src/app.ts', 'typescript', './util/strings.js')).toEqual(['src/util/strings.ts']);
    expect(resolve('src/app.ts', 'typescript', './util')).toEqual(['src/util/index.ts']);
    expect(resolve('src/util/strings.ts', 'typescript', '../legacy')).toEqual(['src/legacy.js']);
    expect(resolve('src/app.ts', 'typescript', 'react')).toEqual([]);
    expect(resolve('src/app.ts', 'typescript', '../../../outside')).toEqual([]);
  });

  it('resolves C includes locally first, then by the closest path suffix', () => {
    expect(resolve('drivers/net/eth.c', 'c', 'local.h')).toEqual(['drivers/net/local.h']);
    expect(resolve('drivers/net/eth.c', 'c', 'linux/slab.h')).toEqual(['include/linux/slab.h']);
    expect(resolve('arch/x86/kernel/setup.c', 'c', 'asm/io.h')).toEqual(['arch/x86/include/asm/io.h']);
    expect(resolve('drivers/net/eth.c', 'c', 'stdio.h')).toEqual([]);
  });

  it('resolves Go import paths to the package files, without tests', () => {
    expect(resolve('cmd/main.go', 'go', 'github.com/acme/app/pkg/server')).toEqual([
      'pkg/server/server.go',
      'pkg/server/routes.go',
    ]);
    expect(resolve('cmd/main.go', 'go', 'fmt')).toEqual([]);
  });

  it('resolves Python absolute and relative modules', () => {
    expect(resolve('tools/main.py', 'python', 'tools.report')).toEqual(['tools/report/__init__.py']);
    expect(resolve('tools/report/__init__.py', 'python', '.writer')).toEqual(['tools/report/writer.py']);
    expect(resolve('tools/report/writer.py', 'python', '..main')).toEqual(['tools/main.py']);
    expect(resolve('tools/main.py', 'python', 'os.path')).toEqual([]);
  });

  it('resolves Java classes, static members included', () => {
    expect(resolve('src/main/java/com/acme/App.java', 'java', 'com.acme.Store')).toEqual([
      'src/main/java/com/acme/Store.java',
    ]);
    expect(resolve('src/main/java/com/acme/App.java', 'java', 'com.acme.Store.open')).toEqual([
      'src/main/java/com/acme/Store.java',
    ]);
  });

  it('resolves Rust modules and crate paths, not the standard library', () => {
    expect(resolve('crates/core/src/lib.rs', 'rust', 'lexer')).toEqual(['crates/core/src/lexer.rs']);
    expect(resolve('crates/core/src/lib.rs', 'rust', 'parser')).toEqual(['crates/core/src/parser/mod.rs']);
    expect(resolve('crates/core/src/parser/mod.rs', 'rust', 'crate::lexer::{Lexer, Token}')).toEqual([
      'crates/core/src/lexer.rs',
    ]);
    expect(resolve('crates/core/src/lib.rs', 'rust', 'std::collections::HashMap')).toEqual([]);
  });

  it('normalizes paths and refuses to climb above the root', () => {
    expect(normalizePath('a/./b/../c')).toBe('a/c');
    expect(normalizePath('../a')).toBeNull();
  });
});
