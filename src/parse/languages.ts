/**
 * Which language a path is written in, by extension, file name or shebang. Parsable languages have a
 * tree-sitter grammar (see `grammars.ts`); the others are known text formats chunked by lines.
 */
import type { Language, LanguageId } from '../model.js';

/** Every language with a grammar, in a stable order (tests iterate it). */
export const PARSABLE_LANGUAGES: readonly LanguageId[] = Object.freeze([
  'c',
  'cpp',
  'python',
  'javascript',
  'typescript',
  'tsx',
  'go',
  'rust',
  'java',
]);

const PARSABLE: ReadonlySet<string> = new Set<string>(PARSABLE_LANGUAGES);

const BY_EXTENSION: Readonly<Record<string, Language>> = {
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  hh: 'cpp',
  hpp: 'cpp',
  hxx: 'cpp',
  ipp: 'cpp',
  inl: 'cpp',
  py: 'python',
  pyi: 'python',
  pyw: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  go: 'go',
  rs: 'rust',
  java: 'java',
  md: 'markdown',
  markdown: 'markdown',
  rst: 'rst',
  txt: 'text',
  json: 'json',
  jsonc: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  ini: 'ini',
  cfg: 'ini',
  xml: 'xml',
  html: 'html',
  htm: 'html',
  css: 'css',
  scss: 'css',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  rb: 'ruby',
  php: 'php',
  cs: 'csharp',
  kt: 'kotlin',
  swift: 'swift',
  scala: 'scala',
  lua: 'lua',
  pl: 'perl',
  pm: 'perl',
  sql: 'sql',
  s: 'asm',
  S: 'asm',
  asm: 'asm',
  dts: 'devicetree',
  dtsi: 'devicetree',
  mk: 'make',
  cmake: 'cmake',
  proto: 'protobuf',
  svg: 'xml',
};

const BY_FILENAME: Readonly<Record<string, Language>> = {
  Makefile: 'make',
  makefile: 'make',
  GNUmakefile: 'make',
  Kbuild: 'make',
  Kconfig: 'kconfig',
  Dockerfile: 'dockerfile',
  'CMakeLists.txt': 'cmake',
  README: 'text',
  LICENSE: 'text',
  COPYING: 'text',
};

const SHEBANG: ReadonlyArray<readonly [RegExp, Language]> = [
  [/\bpython[0-9.]*\b/, 'python'],
  [/\bnode\b|\bdeno\b|\bbun\b/, 'javascript'],
  [/\b(ba|z|k|da)?sh\b/, 'shell'],
  [/\bperl\b/, 'perl'],
  [/\bruby\b/, 'ruby'],
];

export function isParsable(language: Language | null): language is LanguageId {
  return language !== null && PARSABLE.has(language);
}

/** C and C++: macro-heavy code, whose text grove prepares before parsing and scans for `#define`s. */
export function isCFamily(language: Language | null): boolean {
  return language === 'c' || language === 'cpp';
}

/**
 * What a line of C++ can open with and a line of C cannot: a namespace, a template, an access label,
 * a class with a body, `extern "C++"`.
 */
const CPP_LINE =
  /^[ \t]*(?:namespace(?:[ \t]+[\w:]+)?[ \t]*\{|template[ \t]*<|(?:public|private|protected)[ \t]*:|using[ \t]+namespace[ \t]|class[ \t]+\w[^;()\n]*\{|extern[ \t]+"C\+\+")/m;

/**
 * The language of a `.h` file, given its first bytes (read only for a `.h` file): C++ when they show
 * C++ (V8's, LLVM's and Qt's headers are `.h`), which the C grammar reads as errors, losing every
 * class. Other paths keep `language`.
 */
export function headerLanguage(language: Language | null, path: string, head: () => string): Language | null {
  return language === 'c' && path.endsWith('.h') && CPP_LINE.test(head()) ? 'cpp' : language;
}

/** The language of `path` (relative, `/` separated); `firstLine` lets a shebang decide for extensionless files. */
export function languageForPath(path: string, firstLine?: string): Language | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const byName = BY_FILENAME[base];
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  if (dot > 0) {
    const ext = base.slice(dot + 1);
    const byExt = BY_EXTENSION[ext] ?? BY_EXTENSION[ext.toLowerCase()];
    if (byExt) return byExt;
  }
  if (firstLine?.startsWith('#!')) {
    for (const [pattern, language] of SHEBANG) if (pattern.test(firstLine)) return language;
  }
  return null;
}
