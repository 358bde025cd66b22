import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, GroveError, toGroveError } from '../../src/errors.js';

describe('the error registry', () => {
  it('is documented code for code in docs/TROUBLESHOOTING.md, with the same exit status', () => {
    const doc = readFileSync(new URL('../../docs/TROUBLESHOOTING.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(ERROR_CODES).map(([code, info]) => [code, info.exit])),
    );
  });

  it('maps errno codes, never message text', () => {
    const eacces = Object.assign(new Error('whatever the text says'), { code: 'EACCES' });
    expect(toGroveError(eacces).code).toBe('FILE_UNREADABLE');
    expect(toGroveError(Object.assign(new Error('x'), { code: 'ENOSPC' })).code).toBe('DISK_FULL');
    expect(toGroveError(Object.assign(new Error('x'), { code: 'EWEIRD' })).code).toBe('IO_ERROR');
    expect(toGroveError(new Error('disk full ENOSPC')).code).toBe('INTERNAL');
  });

  it('survives a trip across a boundary by its code', () => {
    const original = new GroveError('PARSE_TIMEOUT', 'too slow', { path: 'a.c' });
    const rebuilt = GroveError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(rebuilt).toBeInstanceOf(GroveError);
    expect(rebuilt.code).toBe('PARSE_TIMEOUT');
    expect(rebuilt.details).toEqual({ path: 'a.c' });
    expect(GroveError.fromJSON({ code: 'NOT_A_CODE' as never, message: 'm' }).code).toBe('INTERNAL');
  });
});
