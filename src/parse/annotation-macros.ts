/**
 * C and C++ code puts attribute macros between a declaration's type and its name: `static int __init
 * setup(void)`, `void __iomem *base`, `struct __packed header`. tree-sitter does not expand macros, so it
 * reads `static int __init` as a declaration missing its `;`, then a function whose *type* is `setup`:
 * the function is lost and a variable named `__init` is made up (on the kernel: ~15,000 functions lost,
 * 9,980 `__init` variables). ctags gets past them by its own heuristics (and `-I`); grove blanks the
 * well-known ones before parsing.
 *
 * Each macro is replaced by as many spaces, so every offset and line stays where it was: the parse runs
 * on the blanked text, and names, signatures and chunks are sliced from the original. Preprocessor lines
 * keep theirs, so `#define __init ...` still defines `__init`.
 */
import { blankText } from './blank-text.js';
import { balancedParentheses } from './signature.js';

/**
 * Attribute macros without arguments, as the Linux kernel and code like it spell them: sections and
 * lifetimes, calling conventions, inlining, address spaces (sparse), alignment.
 */
const ANNOTATION_MACROS = [
  // Sections: code and data kept only for boot, module exit, or a subsystem's init.
  '__init',
  '__exit',
  '__initdata',
  '__initconst',
  '__exitdata',
  '__init_memblock',
  '__initdata_memblock',
  '__init_or_module',
  '__initdata_or_module',
  '__meminit',
  '__meminitdata',
  '__meminitconst',
  '__net_init',
  '__net_exit',
  '__net_initdata',
  '__ref',
  '__refdata',
  '__refconst',
  '__head',
  '__irq_entry',
  '__kprobes',
  '__sched',
  '__cpuidle',
  '__prombss',
  '__ro_after_init',
  '__read_mostly',
  '__page_aligned_data',
  '__page_aligned_bss',
  '__cacheline_aligned',
  '__cacheline_aligned_in_smp',
  '____cacheline_aligned',
  '____cacheline_aligned_in_smp',
  '__latent_entropy',
  // Linkage, visibility and code generation.
  'asmlinkage',
  'notrace',
  'noinstr',
  'noinline',
  '__always_inline',
  '__weak',
  '__visible',
  '__used',
  '__maybe_unused',
  '__always_unused',
  '__cold',
  '__hot',
  '__noreturn',
  '__naked',
  '__pure',
  '__malloc',
  '__must_check',
  '__attribute_const__',
  '__nocfi',
  '__noclone',
  '__flatten',
  '__packed',
  // Address spaces and checker annotations (sparse).
  '__iomem',
  '__user',
  '__kernel',
  '__percpu',
  '__rcu',
  '__force',
  '__bitwise',
  '__nocast',
  '__safe',
];

/**
 * Attribute macros with arguments (`static __printf(2, 0) int log_to(...)`), blanked with their
 * parenthesised arguments (one level of nested parentheses).
 */
const ANNOTATION_MACROS_WITH_ARGUMENTS = [
  '__printf',
  '__scanf',
  '__aligned',
  '__section',
  '__acquires',
  '__releases',
  '__must_hold',
];

const MACRO_PATTERN = macroPattern(ANNOTATION_MACROS, ANNOTATION_MACROS_WITH_ARGUMENTS);

/** Matches the `plain` macros as words and the `withArguments` ones with their parenthesised arguments. */
function macroPattern(plain: readonly string[], withArguments: readonly string[]): RegExp {
  const alternatives = [
    ...(withArguments.length > 0 ? [`(?:${withArguments.join('|')})\\s*\\((?:[^()]|\\([^()]*\\))*\\)`] : []),
    ...(plain.length > 0 ? [`(?:${plain.join('|')})\\b`] : []),
  ];
  return new RegExp(`\\b(?:${alternatives.join('|')})`, 'g');
}

/**
 * The pattern of a project's own annotation macros (`--macro`, as ctags' `-I`): `NAME` is blanked as a
 * word, `NAME()` with its arguments. The names are C identifiers (checked by the configuration). A run
 * sends the same list with every C file: the pattern is built once per list and thread.
 */
export function projectMacroPattern(names: readonly string[]): RegExp {
  const key = names.join(' ');
  let pattern = projectPatterns.get(key);
  if (pattern === undefined) {
    const withArguments = names.filter((name) => name.endsWith('()')).map((name) => name.slice(0, -2));
    pattern = macroPattern(
      names.filter((name) => !name.endsWith('()')),
      withArguments,
    );
    // A daemon serving many projects meets a few lists; more would mean something loops.
    if (projectPatterns.size >= MAX_PROJECT_PATTERNS) projectPatterns.clear();
    projectPatterns.set(key, pattern);
  }
  return pattern;
}

const projectPatterns = new Map<string, RegExp>();
const MAX_PROJECT_PATTERNS = 32;

/**
 * Projects name their own export and attribute macros (`V8_EXPORT`, `NODE_EXTERN`, `UV_EXTERN`,
 * `V8_INLINE`): upper case with an underscore. Where a macro is the only thing such a word can be, it is
 * blanked too. Between `class`/`struct`/`union` and the name that a base list or body follows
 * (`class V8_EXPORT Array : public Object {`, otherwise a class named `V8_EXPORT`):
 */
const CLASS_KEY_MACRO =
  /\b((?:class|struct|union)\s+)([A-Z][A-Z0-9]*_[A-Z0-9_]*)(?=\s+[A-Za-z_]\w*\s*(?:[:{]|final\b))/g;
/**
 * And before a declaration's type and name (`NODE_EXTERN bool HasInstance(`, `V8_INLINE explicit
 * Unlocker(`, `static V8_WARN_UNUSED_RESULT MaybeLocal<Value> Parse(`): two words and a parameter list
 * follow, which a type name cannot start (`MY_TYPE get(void)` and `EVP_PKEY *new(void)` stay).
 */
const SPECIFIER_MACRO = new RegExp(
  [
    '\\b[A-Z][A-Z0-9]*_[A-Z0-9_]*',
    '(?=\\s+(?!const\\b|volatile\\b)(?:(?:unsigned|signed|long|short|struct|enum|union|const|static|inline|virtual|explicit|constexpr|extern)\\s+)*',
    '[A-Za-z_][\\w:]*(?:\\s*<[^<>;{}()]*(?:<[^<>;{}()]*>[^<>;{}()]*)*>)?',
    '[\\s*&]+(?:operator\\W{1,3}|~?[A-Za-z_][\\w:]*)\\s*\\()',
  ].join(''),
  'g',
);

/**
 * The source with the annotation macros (and the project's, `projectMacroPattern`) outside preprocessor
 * lines replaced by spaces: same length, and line breaks inside a macro's arguments are kept.
 */
export function blankAnnotationMacros(source: string, project?: RegExp): string {
  const blankOutsideDirectives = (text: string) => (macro: string, offset: number) =>
    onPreprocessorLine(text, offset) ? macro : blankText(macro);
  let text = source.replace(MACRO_PATTERN, blankOutsideDirectives(source));
  if (project !== undefined) text = text.replace(project, blankOutsideDirectives(text));
  // The class key is matched, not looked behind for: a lookbehind tried at every offset cost 4x the rest.
  const afterMacros = text;
  text = text.replace(CLASS_KEY_MACRO, (match: string, key: string, macro: string, offset: number) =>
    onPreprocessorLine(afterMacros, offset) ? match : `${key}${blankText(macro)}`,
  );
  return text.replace(SPECIFIER_MACRO, blankOutsideDirectives(text));
}

/** Whether the line holding `offset` is a directive (`#define __init ...`); the macro's own definition stays. */
function onPreprocessorLine(source: string, offset: number): boolean {
  let at = source.lastIndexOf('\n', offset - 1) + 1;
  while (at < offset && (source[at] === ' ' || source[at] === '\t')) at++;
  return source[at] === '#';
}

/**
 * Where the head of a declaration starting at `start` begins for its signature. Blanking moves a node's
 * start past the macros that lead its line (`asmlinkage __visible void f(...)` starts at `void`); when
 * only blanked text and spaces precede it on its line, the head starts at the first macro instead. Not
 * when that text is the tail of a macro call opened on an earlier line (`2) int f(...)`).
 */
export function annotatedHeadStart(source: string, parsed: string, start: number): number {
  const lineStart = parsed.lastIndexOf('\n', start - 1) + 1;
  if (/\S/.test(parsed.slice(lineStart, start))) return start;
  const lead = source.slice(lineStart, start).trim();
  if (lead === '' || !/^[A-Za-z_]/.test(lead) || !balancedParentheses(lead)) return start;
  return source.indexOf(lead, lineStart);
}
