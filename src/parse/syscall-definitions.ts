/**
 * The Linux kernel defines its system calls through macros: `SYSCALL_DEFINE3(read, unsigned int, fd,
 * char __user *, buf, size_t, count) { ... }`, and `COMPAT_SYSCALL_DEFINE3(...)` for 32-bit callers
 * (781 heads at line starts in the kernel's C). tree-sitter reads the head as a call at file scope and
 * the body as a block of its own, so the system call was no symbol at all, and the calls in its body
 * belonged to no function.
 *
 * Before parsing, such a head becomes a function head of the same length: `long sys_read(` and spaces
 * for the macro and its first argument, and a space for the comma between each parameter's type and
 * name (`unsigned int  fd, char __user *  buf, size_t  count)`); `SYSCALL_DEFINE0(getpid)` becomes
 * `long sys_getpid(void)` and spaces. Every offset and line stays where it was, as with the other rewrites
 * (annotation-macros.ts). The symbol is then named as the kernel's own tags script names it
 * (scripts/tags.sh): `sys_read`, `compat_sys_lseek`; its signature is the head as written.
 */
import type { RefRecord, SymbolRecord } from '../model.js';

/** A definition head at the start of a line: group 1 is `COMPAT_` or empty, 2 the parameter count, 3 the name. */
const SYSCALL_HEAD = /^(COMPAT_)?SYSCALL_DEFINE([0-6])\([ \t]*(\w+)[ \t]*([,)])/gm;
/** The same head at the start of a signature (the source as written). */
const SYSCALL_SIGNATURE = /^((COMPAT_)?SYSCALL_DEFINE[0-6])\([ \t]*(\w+)/;

/** `source` with its system call definitions rewritten as function heads (same length). */
export function rewriteSyscallDefinitions(source: string): string {
  if (!source.includes('SYSCALL_DEFINE')) return source;
  let rewritten = '';
  let copied = 0;
  for (const match of source.matchAll(SYSCALL_HEAD)) {
    const [head, , count, name, after] = match;
    // `SYSCALL_DEFINE0(name)` has no parameters, the others have some.
    if ((count === '0') !== (after === ')')) continue;
    const start = match.index;
    const parametersEnd =
      after === ')' ? start + head.length : closingParenthesis(source, start + head.length);
    if (parametersEnd < 0) continue;
    // `long sys_read(` takes the place of `SYSCALL_DEFINE3(read,`: always shorter, the rest is spaces.
    // The prefix also makes a name that starts with a digit (mips' `32_llseek`) an identifier.
    const opening = count === '0' ? `long sys_${name}(void)` : `long sys_${name}(`;
    const parameters =
      count === '0' ? '' : typeNameCommasAsSpaces(source.slice(start + head.length, parametersEnd));
    rewritten += source.slice(copied, start) + opening.padEnd(head.length, ' ') + parameters;
    copied = parametersEnd;
  }
  return copied === 0 ? source : rewritten + source.slice(copied);
}

/**
 * Names each system call defined in `symbols` (read from a text `rewriteSyscallDefinitions` rewrote) as
 * `sys_NAME` or `compat_sys_NAME`, from its signature, which is the head as written; the macro it was
 * written with stays a call reference, as it was before the rewrite.
 */
export function nameSyscalls(symbols: SymbolRecord[], refs: RefRecord[]): void {
  for (const syscall of symbols) {
    if (syscall.kind !== 'function' || !syscall.signature.includes('SYSCALL_DEFINE')) continue;
    const head = SYSCALL_SIGNATURE.exec(syscall.signature);
    if (!head) continue;
    const [, macro = '', compat, name] = head;
    // The name read from the tree is the text under `long sys_read(` in the source: part of the macro.
    const misread = syscall.name;
    syscall.name = `${compat ? 'compat_sys_' : 'sys_'}${name}`;
    const before = refs.findIndex((ref) => ref.line >= syscall.startLine);
    refs.splice(before < 0 ? refs.length : before, 0, { name: macro, kind: 'call', line: syscall.startLine });
    for (const inner of symbols) {
      const inside = inner.startLine >= syscall.startLine && inner.endLine <= syscall.endLine;
      if (inner !== syscall && inside && inner.parent === misread) inner.parent = syscall.name;
    }
  }
}

/** The offset of the `)` closing a parameter list whose text starts at `from` (-1 if it does not close). */
function closingParenthesis(source: string, from: number): number {
  let depth = 0;
  for (let at = from; at < source.length; at++) {
    const c = source[at];
    if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) return at;
    else if (c === '{' || c === ';') return -1;
  }
  return -1;
}

/** `unsigned int, fd, char __user *, buf` -> `unsigned int  fd, char __user *  buf`: pairs of type and name. */
function typeNameCommasAsSpaces(parameters: string): string {
  let out = '';
  let depth = 0;
  let commas = 0;
  for (const c of parameters) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    // The 1st, 3rd, ... comma at depth 0 separates a type from its name.
    out += c === ',' && depth === 0 && commas++ % 2 === 0 ? ' ' : c;
  }
  return out;
}
