/** Brace-less loop macros get their body joined on; a `do` closed by a macro loses its `do`; all else stays. */
import { describe, expect, it } from 'vitest';
import { rewriteLoopMacros } from '../../../src/parse/loop-macros.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('rewriteLoopMacros', () => {
  it('joins an expression body to its loop macro with a comma, keeping every offset', () => {
    const source = lines(
      '\tfor_each_cpu(cpu, mask)',
      '\t\tdo_it(cpu);',
      '\tlist_for_each(p, h)',
      '\t\t*p = 0;',
    );
    const rewritten = rewriteLoopMacros(source);
    expect(rewritten).toBe(
      lines('\tfor_each_cpu(cpu, mask)', ',\tdo_it(cpu);', '\tlist_for_each(p, h)', ',\t*p = 0;'),
    );
    expect(rewritten).toHaveLength(source.length);
  });

  it('reads CRLF line breaks', () => {
    const source = '\tfor_each_cpu(cpu, mask)\r\n\t\tdo_it(cpu);\r\n';
    expect(rewriteLoopMacros(source)).toBe('\tfor_each_cpu(cpu, mask)\r\n,\tdo_it(cpu);\r\n');
  });

  it('ends the macro with a semicolon when its body opens with a keyword', () => {
    const source = lines('\tfor_each_subsys(ss, i)', '\t\tif (ss->fork)', '\t\t\tss->fork();');
    expect(rewriteLoopMacros(source)).toBe(
      lines('\tfor_each_subsys(ss, i)', ';\tif (ss->fork)', '\t\t\tss->fork();'),
    );
  });

  it('joins nested loop macros each to the next', () => {
    const source = lines('  for_each_a(x)', '    for_each_b(y)', '      use(x, y);');
    expect(rewriteLoopMacros(source)).toBe(lines('  for_each_a(x)', ',   for_each_b(y)', ',     use(x, y);'));
  });

  it('keeps statements, braces, keywords, continued expressions and lines not followed deeper', () => {
    const source = lines(
      '\tfor_each_cpu(cpu, mask) {', // a block follows: tree-sitter reads it
      '\t\tdo_it(cpu);',
      '\t}',
      '\tfor_each_node(n)', // the next line is a block
      '\t{',
      '\t\tif (x)',
      '\t\t\ty();',
      '\twhile (busy(x))',
      '\t\tcpu_relax();',
      '\tsetup(a, b)', // the next line is not deeper
      '\tnext();',
      '\tif (check(a) ||',
      '\t    other(b))', // closes the condition's parenthesis: unbalanced on its own
      '\t\tgo();',
      '\treturn compute(a)',
      '\t\t+ more(b);', // an operator continues the expression
      'file_scope_call(a)', // not indented
      '\tnot_at_file_scope();',
      '\tmacro_in_define(x) \\',
      '\t\tbody(x);',
      '\titer_swap(const It& x, const It& y)', // a C++ declarator continued on the next line
      '\t  noexcept(noexcept(swap(*x, *y)))',
      '\t_Sentinel(_Sentinel<!_Const> s)',
      '\t  requires _Const',
    );
    expect(rewriteLoopMacros(source)).toBe(source);
  });

  it('blanks the do of a block closed by a macro and keeps do-while loops', () => {
    const source = lines(
      '\tdo {',
      '\t\twake(t);',
      '\t} while_each_thread(g, t);',
      '\tdo { if (a) { b(); } } while (c);',
      '#define ONCE(x) do { x; } while (0)',
      '\tdo {',
      '\t\tputs("}");',
      '\t\t/* } */',
      '\t} while_each_subsys_mask();',
    );
    expect(rewriteLoopMacros(source)).toBe(
      lines(
        '\t   {',
        '\t\twake(t);',
        '\t} while_each_thread(g, t);',
        '\tdo { if (a) { b(); } } while (c);',
        '#define ONCE(x) do { x; } while (0)',
        '\t   {',
        '\t\tputs("}");',
        '\t\t/* } */',
        '\t} while_each_subsys_mask();',
      ),
    );
  });

  it('returns the same string when there is nothing to rewrite', () => {
    const source = lines('int main(void)', '{', '\treturn 0;', '}');
    expect(rewriteLoopMacros(source)).toBe(source);
  });
});
