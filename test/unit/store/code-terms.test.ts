import { describe, expect, it } from 'vitest';
import { codeTerms, splitIdentifier } from '../../../src/store/code-terms.js';

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
