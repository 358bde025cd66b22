/** System call heads become function heads of the same length; the functions are named as the kernel's tags name them. */
import { describe, expect, it } from 'vitest';
import type { RefRecord, SymbolRecord } from '../../../src/model.js';
import { nameSyscalls, rewriteSyscallDefinitions } from '../../../src/parse/syscall-definitions.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('rewriteSyscallDefinitions', () => {
  it('turns the macro and first argument into a head and joins each type to its name', () => {
    const source = lines('SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)', '{');
    const rewritten = rewriteSyscallDefinitions(source);
    expect(rewritten).toBe(
      lines(`long sys_read(${' '.repeat(8)}unsigned int  fd, char __user *  buf, size_t  count)`, '{'),
    );
    expect(rewritten).toHaveLength(source.length);
  });

  it('gives a definition without parameters a (void) list, and reads compat and multi-line heads', () => {
    const source = lines(
      'SYSCALL_DEFINE0(getpid)',
      'SYSCALL_DEFINE1(32_personality, unsigned long, personality)',
      'COMPAT_SYSCALL_DEFINE2(utime, const char __user *, filename,',
      '\t\tstruct old_utimbuf32 __user *, t)',
    );
    const rewritten = rewriteSyscallDefinitions(source);
    expect(rewritten).toBe(
      lines(
        'long sys_getpid(void)  ',
        `long sys_32_personality(${' '.repeat(8)}unsigned long  personality)`,
        `long sys_utime(${' '.repeat(15)}const char __user *  filename,`,
        '\t\tstruct old_utimbuf32 __user *  t)',
      ),
    );
    expect(rewritten).toHaveLength(source.length);
  });

  it('leaves alone what is not a definition head at the start of a line', () => {
    const source = lines(
      '#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)',
      '\tSYSCALL_DEFINE1(indented, int, a)',
      'SYSCALL_DEFINE1(unclosed, int, a;',
      'SYSCALL_DEFINE0(extra, int, a)',
      'SYSCALL_DEFINE2(missing)',
    );
    expect(rewriteSyscallDefinitions(source)).toBe(source);
  });
});

describe('nameSyscalls', () => {
  const symbol = (
    name: string,
    signature: string,
    startLine: number,
    endLine: number,
    parent: string | null,
  ) => ({ name, kind: 'function', signature, startLine, endLine, parent }) as SymbolRecord;

  it('names system calls sys_NAME and compat_sys_NAME and keeps their macro as a call', () => {
    const symbols = [
      symbol(
        'LL_D',
        'SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)',
        1,
        4,
        null,
      ),
      { ...symbol('inner', 'int inner', 3, 3, 'LL_D'), kind: 'variable' },
      symbol(
        'AT_S',
        'COMPAT_SYSCALL_DEFINE3(lseek, unsigned int, fd, compat_off_t, offset, unsigned int, w)',
        6,
        9,
        null,
      ),
      symbol('after', 'static int after(void)', 11, 11, null),
    ];
    const refs: RefRecord[] = [
      { name: 'ksys_read', kind: 'call', line: 3 },
      { name: 'ksys_lseek', kind: 'call', line: 8 },
    ];
    nameSyscalls(symbols, refs);
    expect(symbols.map((s) => [s.name, s.parent])).toEqual([
      ['sys_read', null],
      ['inner', 'sys_read'],
      ['compat_sys_lseek', null],
      ['after', null],
    ]);
    expect(refs).toEqual([
      { name: 'SYSCALL_DEFINE3', kind: 'call', line: 1 },
      { name: 'ksys_read', kind: 'call', line: 3 },
      { name: 'COMPAT_SYSCALL_DEFINE3', kind: 'call', line: 6 },
      { name: 'ksys_lseek', kind: 'call', line: 8 },
    ]);
  });
});
