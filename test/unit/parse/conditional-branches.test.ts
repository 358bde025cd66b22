/** Unbalanced `#if` groups keep only their first branch; balanced ones, comments and literals are left alone. */
import { describe, expect, it } from 'vitest';
import { keepFirstBranchWhereUnbalanced } from '../../../src/parse/conditional-branches.js';

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

describe('keepFirstBranchWhereUnbalanced', () => {
  it('blanks the directives of groups that open a brace another group closes', () => {
    const source = [
      'int f(void)',
      '{',
      '#ifdef MSI',
      '\tif (msix) { a(); } else {',
      '#endif',
      '\t\tb();',
      '#ifdef MSI',
      '\t}',
      '#endif',
      '\treturn 0;',
      '}',
      '',
    ].join('\n');
    const expected = source.replace(/#ifdef MSI|#endif/g, blank);
    expect(keepFirstBranchWhereUnbalanced(source)).toBe(expected);
    expect(expected).toHaveLength(source.length);
  });

  it('keeps the first of two function heads and blanks the other branch', () => {
    const source = [
      '#if USE_ARGS',
      'int f(int a)',
      '{',
      '#else',
      'int f(void)',
      '{',
      '#endif',
      '\treturn 0;',
      '}',
      '',
    ];
    const expected = [...source];
    for (const at of [0, 3, 4, 5, 6]) expected[at] = blank(source[at]!);
    expect(keepFirstBranchWhereUnbalanced(source.join('\n'))).toBe(expected.join('\n'));
  });

  it('leaves balanced groups, and braces in comments, strings, characters and macro bodies', () => {
    const source = [
      '#ifdef A',
      'int f(void) { return 1; }',
      '#else',
      'static inline int f(void) { return 0; } /* { */',
      '#endif',
      '#if B // {',
      'const char *s = "{(", c = \'{\';',
      '#define OPEN {\\',
      '\t(',
      '#endif /* a comment',
      '   that ends { here */',
      '',
    ].join('\n');
    expect(keepFirstBranchWhereUnbalanced(source)).toBe(source);
  });

  it('counts what survives of a nested unbalanced group in the group around it', () => {
    const source = [
      '#ifdef OUTER',
      '#ifdef INNER',
      'if (x) {',
      '#else',
      'if (y) {',
      '#endif',
      '}',
      '#endif',
      '',
    ];
    const expected = [...source];
    for (const at of [1, 3, 4, 5]) expected[at] = blank(source[at]!);
    expect(keepFirstBranchWhereUnbalanced(source.join('\n'))).toBe(expected.join('\n'));
  });

  it('ignores a group left open at the end of the file', () => {
    const source = '#ifdef A\nif (x) {\n';
    expect(keepFirstBranchWhereUnbalanced(source)).toBe(source);
  });
});
