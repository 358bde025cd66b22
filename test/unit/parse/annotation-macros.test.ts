/** Blanking C attribute macros before parsing: offsets kept, definitions and look-alikes untouched. */
import { describe, expect, it } from 'vitest';
import {
  annotatedHeadStart,
  blankAnnotationMacros,
  projectMacroPattern,
} from '../../../src/parse/annotation-macros.js';

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

describe('project macros', () => {
  it('blanks the named macros, those marked () with their arguments, outside preprocessor lines', () => {
    const project = projectMacroPattern(['LIB_HOT', 'LIB_ALIGN()']);
    const source =
      '#define LIB_HOT hot\nstruct LIB_ALIGN(sizeof(long)) b;\nint LIB_HOT f(void);\nint LIB_HOTTER;\n';
    const blanked = blankAnnotationMacros(source, project);
    expect(blanked).toBe(
      `#define LIB_HOT hot\nstruct ${' '.repeat('LIB_ALIGN(sizeof(long))'.length)} b;\nint ${' '.repeat(7)} f(void);\nint LIB_HOTTER;\n`,
    );
    expect(blankAnnotationMacros(source)).toBe(source);
  });
});

describe('annotatedHeadStart', () => {
  const headOf = (source: string, word: string) => {
    const parsed = blankAnnotationMacros(source);
    return source.slice(annotatedHeadStart(source, parsed, source.indexOf(word)));
  };

  it('starts at the macros that lead the line', () => {
    expect(headOf('x;\n\tasmlinkage __visible void f(void);\n', 'void')).toBe(
      'asmlinkage __visible void f(void);\n',
    );
  });

  it('stays at the start when code precedes it on its line', () => {
    expect(headOf('static int __init f(void);', 'static')).toBe('static int __init f(void);');
    expect(headOf('int a; void f(void);', 'void')).toBe('void f(void);');
  });

  it('does not take the tail of a macro call opened on an earlier line', () => {
    expect(headOf('__printf(1,\n\t2) int f(const char *s, ...);', 'int f')).toBe(
      'int f(const char *s, ...);',
    );
    expect(headOf('__acquires(h->\n\tlock) void g(void);', 'void')).toBe('void g(void);');
  });
});

describe("blankAnnotationMacros with a project's own macros", () => {
  it('blanks an upper-case macro between the class key and a class name with a base or a body', () => {
    expect(blankAnnotationMacros('class V8_EXPORT Array : public Object {')).toBe(
      'class           Array : public Object {',
    );
    expect(blankAnnotationMacros('struct Q_CORE_EXPORT QPoint final {')).toBe(
      'struct               QPoint final {',
    );
    const declaration = 'struct FOO_BAR baz;\nclass MY_API;\n';
    expect(blankAnnotationMacros(declaration)).toBe(declaration);
  });

  it('blanks an upper-case macro before a type and a name with a parameter list', () => {
    expect(blankAnnotationMacros('NODE_EXTERN bool HasInstance(Local<Value> v);')).toBe(
      '            bool HasInstance(Local<Value> v);',
    );
    expect(blankAnnotationMacros('  V8_INLINE static Array* Cast(Value* value) {')).toBe(
      '            static Array* Cast(Value* value) {',
    );
    expect(blankAnnotationMacros('UV_EXTERN unsigned int uv_version(void);')).toBe(
      '          unsigned int uv_version(void);',
    );
  });

  it('leaves upper-case type names and macro calls alone', () => {
    const source =
      'MY_TYPE get(void);\nEVP_PKEY *EVP_PKEY_new(void);\nFOO_T const get(void);\nDEFINE_MUTEX(lock);\n#define X_API int f(\n';
    expect(blankAnnotationMacros(source)).toBe(source);
  });
});
