/** The extractor's lifecycle and failure modes: lazy grammars, timeouts, reuse after errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { createExtractor, type Extractor } from '../../../src/parse/extractor.js';
import { grammarPath } from '../../../src/parse/grammars.js';

let extractor: Extractor;
beforeAll(async () => {
  extractor = await createExtractor();
});
afterAll(() => extractor.close());

describe('createExtractor', () => {
  it('resolves every grammar to a .wasm file', () => {
    for (const language of [
      'c',
      'cpp',
      'python',
      'javascript',
      'typescript',
      'tsx',
      'go',
      'rust',
      'java',
    ] as const) {
      expect(grammarPath(language)).toMatch(/\.wasm$/);
    }
  });

  it('throws PARSE_TIMEOUT when a parse exceeds its budget, then parses normally again', async () => {
    await extractor.prepare('c');
    const huge = 'int f(int a) { return g(a) + h(a, a * 2); }\n'.repeat(200_000);
    const error = await extractor.extract('c', huge, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GroveError);
    expect((error as GroveError).code).toBe('PARSE_TIMEOUT');
    const after = await extractor.extract('c', 'int ok(void) { return 0; }\n', { timeoutMs: 10_000 });
    expect(after.symbols.map((s) => s.name)).toEqual(['ok']);
  });

  it('extracts C++ out-of-line methods with their class as parent', async () => {
    const { symbols } = await extractor.extract(
      'cpp',
      'void ns::Widget<T>::draw(int x) const {\n  paint(x);\n}\n',
    );
    expect(symbols).toEqual([
      {
        name: 'draw',
        kind: 'method',
        signature: 'void ns::Widget<T>::draw(int x) const',
        startLine: 1,
        endLine: 3,
        parent: 'Widget',
      },
    ]);
  });

  it('records no symbol or reference for a name error recovery made up (a zero-width MISSING node)', async () => {
    // A constructor outside any class parses as a method whose name is MISSING; `a: ,` has a MISSING type.
    const java = await extractor.extract(
      'java',
      'public OrderService(List<Listener> initial) {\n  run();\n}\n',
    );
    expect(java.symbols.map((s) => s.name)).not.toContain('');
    const rust = await extractor.extract('rust', 'struct S { a: , b: Point }\nfn f(x: ) {}\n');
    expect(rust.refs.map((r) => r.name)).toEqual(expect.arrayContaining(['Point']));
    expect(rust.refs.map((r) => r.name)).not.toContain('');
    expect(rust.symbols.map((s) => s.name)).toEqual(['S', 'f']);
  });

  it('refuses to work after close()', async () => {
    const closing = await createExtractor();
    closing.close();
    await expect(closing.extract('go', 'package a\n')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
