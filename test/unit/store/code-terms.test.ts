import { describe, expect, it } from 'vitest';
import { codeTerms, identifierPartsAt, splitIdentifier } from '../../../src/store/code-terms.js';

describe('codeTerms', () => {
  it('splits camelCase, PascalCase, snake_case, kebab-case and dotted paths', () => {
    expect(codeTerms('getUserName')).toBe('get user name');
    expect(codeTerms('HTTPServer')).toBe('http server');
    expect(codeTerms('foo_bar.baz')).toBe('foo bar baz');
    expect(codeTerms('my-component')).toBe('my component');
    expect(codeTerms('XMLHttpRequest')).toBe('xml http request');
    expect(codeTerms('std::vector')).toBe('');
  });

  it('emits nothing for words without parts', () => {
    expect(codeTerms('int x = foo(bar); return NULL; EINVAL')).toBe('');
    expect(codeTerms('')).toBe('');
  });

  it('dedupes parts across the chunk and drops parts equal to the whole word', () => {
    expect(codeTerms('get_user(); getUser(); user_get();')).toBe('get user');
    expect(codeTerms('__init')).toBe('init');
  });

  it('keeps digits inside parts, ignores numbers, one-letter and numeric parts', () => {
    expect(codeTerms('ext4_inode utf8Decode')).toBe('ext4 inode utf8 decode');
    expect(codeTerms('0x1F 3.14 1e-9 x_pos a_1')).toBe('pos');
  });

  it('does not join across operators like -> or a trailing dot', () => {
    expect(codeTerms('dev->priv_data x. y')).toBe('priv data');
  });

  it('keeps non-ASCII letters inside words and treats other symbols as separators', () => {
    expect(codeTerms('naïve_café 日本語 emoji😀 “quoted_word”')).toBe('naïve café quoted word');
    expect(codeTerms('Größe_Wert')).toBe('größe wert');
  });
});

describe('splitIdentifier', () => {
  it('returns the parts of one identifier, or none for a single part', () => {
    expect(splitIdentifier('kmalloc_array')).toEqual(['kmalloc', 'array']);
    expect(splitIdentifier('os.path.join')).toEqual(['os', 'path', 'join']);
    expect(splitIdentifier('user')).toEqual([]);
    expect(splitIdentifier('IOError')).toEqual(['io', 'error']);
  });
});

describe('identifierPartsAt', () => {
  const SAMPLES = [
    'getUserName foo_bar.baz HTTPServer my-component a->b x. .y a.-b a..b -lead_ing',
    'int copy_to_user(void *to, const void *from) { return __copy_user(to, from, DATA_SIZE); }',
    'os.path.join(x, "v1.2.3") 0x1F_ff 3.14 $scope_id ext4_inode.i_size naïve_café Größe_Wert',
  ];

  it('gives, over every position of a text, exactly the parts codeTerms gives for the whole text', () => {
    // Seeded random texts from code-like pieces cover joins and case changes the samples miss.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const pieces = ['ab', 'Cd', 'EF', '_', '.', '-', '9', ' ', 'x', '$', '->', 'é', '(', 'Gh'];
    const random = Array.from({ length: 300 }, () =>
      Array.from({ length: 12 }, () => pieces[next() % pieces.length]).join(''),
    );
    for (const text of [...SAMPLES, ...random]) {
      const expected = new Set(
        codeTerms(text)
          .split(' ')
          .filter((t) => t !== ''),
      );
      const found = new Set<string>();
      for (let i = 0; i < text.length; i++) for (const part of identifierPartsAt(text, i)) found.add(part);
      expect([...found].sort(), text).toEqual([...expected].sort());
    }
  });

  it('gives the parts of the word at a position only', () => {
    const text = 'copy_to_user(userName)';
    expect(identifierPartsAt(text, 2)).toEqual(['copy', 'to', 'user']);
    expect(identifierPartsAt(text, 15)).toEqual(['user', 'name']);
    expect(identifierPartsAt(text, 12)).toEqual([]);
  });
});
