/** The directives of a conditional group that only adds an `else` branch are blanked; other groups stay. */
import { describe, expect, it } from 'vitest';
import { blankConditionsAroundElse } from '../../../src/parse/conditional-else.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const blank = (text: string) => ' '.repeat(text.length);

describe('blankConditionsAroundElse', () => {
  it('blanks the #if and #endif around an else branch, keeping every offset', () => {
    const source = lines(
      '\tif (a) {',
      '\t\tx();',
      '\t}',
      '#if IS_ENABLED(CONFIG_IPV6) && \\',
      '    defined(CONFIG_MORE)',
      '\telse if (b) {',
      '\t\ty();',
      '\t}',
      '#endif /* CONFIG_IPV6 */',
    );
    const rewritten = blankConditionsAroundElse(source);
    expect(rewritten).toBe(
      lines(
        '\tif (a) {',
        '\t\tx();',
        '\t}',
        `${blank('#if IS_ENABLED(CONFIG_IPV6) && \\')}`,
        `${blank('    defined(CONFIG_MORE)')}`,
        '\telse if (b) {',
        '\t\ty();',
        '\t}',
        blank('#endif /* CONFIG_IPV6 */'),
      ),
    );
    expect(rewritten).toHaveLength(source.length);
  });

  it('finds the group of an else among nested groups and indented directives', () => {
    const source = lines(
      '# ifdef A',
      '#if B',
      '\tx();',
      '#endif',
      '  #  endif',
      '#ifdef C',
      '',
      '\telse',
      '\t\tz();',
      '#endif',
    );
    expect(blankConditionsAroundElse(source)).toBe(
      lines(
        '# ifdef A',
        '#if B',
        '\tx();',
        '#endif',
        '  #  endif',
        blank('#ifdef C'),
        '',
        '\telse',
        '\t\tz();',
        blank('#endif'),
      ),
    );
  });

  it('keeps groups that do not open with else, or that have another branch', () => {
    const source = lines(
      '#ifdef A',
      '\telse_count++;', // a name that starts with else
      '#endif',
      '#ifdef B',
      '\telse if (b)',
      '\t\ty();',
      '#else',
      '\telse if (c)',
      '\t\tz();',
      '#endif',
      '#define STR(x) #x',
      '/* #if in a comment',
      ' * else */',
    );
    expect(blankConditionsAroundElse(source)).toBe(source);
  });
});
