import { describe, expect, it } from 'vitest';
import { rewriteTypeScript } from '../../../src/parse/typescript-rewrites.js';

const rewrite = (source: string, tsx = false): string => {
  const text = rewriteTypeScript(source, tsx);
  // Offsets and lines never move: the extraction slices names and chunks from the original.
  expect(text).toHaveLength(source.length);
  expect(text.split('\n').length).toBe(source.split('\n').length);
  return text;
};

describe('rewriteTypeScript', () => {
  it('blanks variance annotations on type parameters, across lines too', () => {
    expect(rewrite('interface Effect<out A, in E = never, in out R> {}')).toBe(
      'interface Effect<    A,    E = never,        R> {}',
    );
    expect(rewrite('type M<\n  in Input,\n  out Result extends X,\n> = 1')).toBe(
      'type M<\n     Input,\n      Result extends X,\n> = 1',
    );
  });

  it('leaves the words in and out where they are not modifiers', () => {
    const source = 'for (const k in obj) out(k)\nconst [a, out] = pair\nif (x in y) {}\n';
    expect(rewrite(source)).toBe(source);
  });

  it('separates a generic call signature from the member before it', () => {
    const source = [
      'export const map: {',
      '  <A, B>(f: (a: A) => B): (self: Array<A>) => Array<B>',
      '  /** data first */',
      '  <',
      '    A,',
      '    B',
      '  >(self: Array<A>, f: (a: A) => B): Array<B>',
      '} = dual(2, impl)',
    ].join('\n');
    const lines = rewrite(source).split('\n');
    expect(lines[1]).toBe('  <A, B>(f: (a: A) => B): (self: Array<A>) => Array<B>');
    expect(lines[3]).toBe(' ;<');
  });

  it('does not separate type parameters that follow a comma, a paren or an arrow', () => {
    const source = [
      'export const f = dual(',
      '  2,',
      '  <A>(self: A, n: number): A => self',
      ')',
      'export const g =',
      '  <K extends Key>(key: K) =>',
      '  <A>(a: A): Pair<K, A> => [key, a]',
    ].join('\n');
    expect(rewrite(source)).toBe(source);
  });

  it('never separates lines of TSX, where a line opening with < is an element', () => {
    const source = 'const e = (\n  <div>\n    <Row>(a)</Row>\n  </div>\n)';
    expect(rewrite(source, true)).toBe(source);
  });

  it('blanks escaped backticks but keeps an escaped backslash before a closing one', () => {
    expect(rewrite('type M<U extends string> = `use \\`${U}\\``')).toBe(
      'type M<U extends string> = `use   ${U}  `',
    );
    expect(rewrite('const s = `a\\\\`')).toBe('const s = `a\\\\`');
  });
});
