/** Blanking C attribute macros before parsing: offsets kept, definitions and look-alikes untouched. */
import { describe, expect, it } from 'vitest';
import { blankAnnotationMacros } from '../../../src/parse/annotation-macros.js';

describe('blankAnnotationMacros', () => {
  it('replaces each macro by as many spaces, so offsets and lines stay', () => {
    const source = 'static int __init setup(void)\n{\n\treturn 0;\n}\nvoid __iomem *base __read_mostly;\n';
    const blanked = blankAnnotationMacros(source);
    const spaces = (macro: string) => ' '.repeat(macro.length);
    expect(blanked).toBe(
      `static int ${spaces('__init')} setup(void)\n{\n\treturn 0;\n}\nvoid ${spaces('__iomem')} *base ${spaces('__read_mostly')};\n`,
    );
    expect(blanked).toHaveLength(source.length);
  });

  it('keeps preprocessor lines, where the macros are defined or tested', () => {
    const source = '#define __init __section(".init.text")\n  # ifdef __exit\nint __exit x;\n#endif\n';
    expect(blankAnnotationMacros(source)).toBe(
      '#define __init __section(".init.text")\n  # ifdef __exit\nint        x;\n#endif\n',
    );
  });

  it('blanks a macro with its arguments, keeping the line breaks inside them', () => {
    const source =
      'static __printf(2,\n\t3) int log_to(int level, const char *fmt, ...);\nu8 b[4] __aligned(sizeof(long));\n';
    const blanked = blankAnnotationMacros(source);
    expect(blanked).toBe(
      `static ${' '.repeat('__printf(2,'.length)}\n${' '.repeat('\t3)'.length)} int log_to(int level, const char *fmt, ...);\nu8 b[4] ${' '.repeat('__aligned(sizeof(long))'.length)};\n`,
    );
    expect(blanked).toHaveLength(source.length);
  });

  it('leaves identifiers that merely contain a macro name', () => {
    const source = '__initcall(setup);\nint my__init, __init_task, __iomem2;\n';
    expect(blankAnnotationMacros(source)).toBe(source);
  });

  it('blanks a macro on the first line and at the very end', () => {
    expect(blankAnnotationMacros('notrace')).toBe('       ');
    expect(blankAnnotationMacros('int f(void) __cold')).toBe('int f(void)       ');
  });
});
