import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { pathInsideRoot } from '../../../src/server/handlers/params.js';
import { errorFromResponse, failure, parseFrame } from '../../../src/server/protocol.js';
import { createLineReader } from '../../../src/server/transports/line-reader.js';

describe('parseFrame', () => {
  it('accepts requests, notifications and batches', () => {
    expect(parseFrame('{"jsonrpc":"2.0","id":1,"method":"ping"}')).toEqual({
      requests: [{ jsonrpc: '2.0', id: 1, method: 'ping' }],
      batch: false,
    });
    const batch = parseFrame(
      '[{"jsonrpc":"2.0","method":"ping"},{"jsonrpc":"2.0","id":"x","method":"status"}]',
    );
    expect('requests' in batch && batch.requests.length).toBe(2);
  });

  it.each([
    ['not json', -32700, null],
    ['[]', -32600, null],
    ['"text"', -32600, null],
    ['{"id":3,"method":"ping"}', -32600, 3],
    ['{"jsonrpc":"2.0","id":4}', -32600, 4],
    ['{"jsonrpc":"2.0","id":{},"method":"ping"}', -32600, null],
    ['{"jsonrpc":"2.0","id":5,"method":"ping","params":3}', -32600, 5],
  ])('answers %s with JSON-RPC code %i and grove code REQUEST_INVALID', (line, code, id) => {
    const frame = parseFrame(line);
    expect('failure' in frame && frame.failure).toMatchObject({
      id,
      error: { code, data: { code: 'REQUEST_INVALID' } },
    });
  });

  it('carries a GroveError across by its code', () => {
    const response = failure(7, new GroveError('PATH_OUTSIDE_ROOT', 'nope', { path: '../x' }));
    expect(response.error.code).toBe(-32000);
    const rebuilt = errorFromResponse(JSON.parse(JSON.stringify(response)));
    expect(rebuilt).toMatchObject({ code: 'PATH_OUTSIDE_ROOT', details: { path: '../x' } });
  });
});

describe('createLineReader', () => {
  it('splits frames across chunks and reports an oversized frame once, then reads on', () => {
    const lines: string[] = [];
    let oversized = 0;
    const reader = createLineReader(
      8,
      (line) => lines.push(line),
      () => oversized++,
    );
    reader.push(Buffer.from('ab'));
    reader.push(Buffer.from('c\n\n12345'));
    reader.push(Buffer.from('67890'));
    reader.push(Buffer.from('more junk\nok\n'));
    reader.push(Buffer.from('0123456789\nend\n'));
    expect(lines).toEqual(['abc', 'ok', 'end']);
    expect(oversized).toBe(2);
  });

  it('never splits a multi-byte character between chunks', () => {
    const lines: string[] = [];
    const reader = createLineReader(
      64,
      (line) => lines.push(line),
      () => {},
    );
    const bytes = Buffer.from('größe\n');
    reader.push(bytes.subarray(0, 3));
    reader.push(bytes.subarray(3));
    expect(lines).toEqual(['größe']);
  });
});

describe('pathInsideRoot', () => {
  const root = mkdtempSync(join(tmpdir(), 'grove-inside-'));
  symlinkSync('/etc', join(root, 'escape'));

  it('returns root-relative paths for paths inside', () => {
    expect(pathInsideRoot(root, 'src/a.c')).toBe('src/a.c');
    expect(pathInsideRoot(root, join(root, 'b/../c.c'))).toBe('c.c');
  });

  it.each(['../x', '/etc/passwd', 'a/../../x', 'escape/passwd'])('refuses %s', (path) => {
    expect(() => pathInsideRoot(root, path)).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_ROOT' }));
  });
});
