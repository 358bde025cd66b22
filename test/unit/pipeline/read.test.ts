import fs from 'node:fs';
import { appendFile, chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TextEncodingName, WalkEntry } from '../../../src/model.js';
import {
  chunkSizeFor,
  type Pressure,
  readHead,
  readWhole,
  streamText,
} from '../../../src/pipeline/stages/read.js';
import { errnoError, isRoot, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

async function fileEntry(name: string, content: string | Uint8Array): Promise<WalkEntry> {
  const absPath = path.join(dir, name);
  await writeFile(absPath, content);
  const st = fs.statSync(absPath);
  return { path: name, absPath, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev };
}

async function drain(
  entry: WalkEntry,
  chunkSize: number,
  encoding: TextEncodingName = 'utf-8',
  bomBytes = 0,
): Promise<string[]> {
  const parts: string[] = [];
  for await (const part of streamText(entry, { encoding, bomBytes, chunkSize })) parts.push(part);
  return parts;
}

const openFds = () => fs.readdirSync('/proc/self/fd').length;

describe('readWhole', () => {
  it('reads the whole file with the fstat size and mtime, into a transferable buffer', async () => {
    const entry = await fileEntry('a.c', 'int main(void) { return 0; }\n');
    const result = await readWhole(entry);
    expect(Buffer.from(result.bytes).toString()).toBe('int main(void) { return 0; }\n');
    expect(result.size).toBe(entry.size);
    expect(result.mtimeMs).toBe(entry.mtimeMs);
    // Its own ArrayBuffer: transferring it to a worker cannot detach anyone else's bytes.
    expect(result.bytes.buffer.byteLength).toBe(entry.size);
    const moved = structuredClone(result.bytes, { transfer: [result.bytes.buffer] });
    expect(moved.length).toBe(entry.size);
  });

  it('reads an empty file', async () => {
    const entry = await fileEntry('empty.js', '');
    expect((await readWhole(entry)).bytes.length).toBe(0);
  });

  it('detects a file that changes between the read and the re-stat', async () => {
    const entry = await fileEntry('moving.c', 'int a;\n');
    const afterRead = () => fs.appendFileSync(entry.absPath, 'int b;\n');
    await expect(readWhole(entry, undefined, { afterRead })).rejects.toMatchObject({
      code: 'FILE_CHANGED_DURING_READ',
    });
  });

  it('maps a vanished file to FILE_VANISHED', async () => {
    const entry = await fileEntry('gone.c', 'x');
    await rm(entry.absPath);
    await expect(readWhole(entry)).rejects.toMatchObject({
      code: 'FILE_VANISHED',
      details: { path: 'gone.c' },
    });
  });

  it('maps permission errors to FILE_UNREADABLE (chmod 000 when not root, injected either way)', async () => {
    const entry = await fileEntry('secret.c', 'int secret;\n');
    await chmod(entry.absPath, 0o000);
    if (isRoot) expect(Buffer.from((await readWhole(entry)).bytes).toString()).toBe('int secret;\n');
    else await expect(readWhole(entry)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    const openSync = (p: string) => {
      throw errnoError('EACCES', 'open', p);
    };
    await expect(readWhole(entry, undefined, { openSync })).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    });
  });

  it('retries transient errors (EMFILE) and gives up after three tries', async () => {
    const entry = await fileEntry('busy.c', 'int busy;\n');
    let calls = 0;
    const flaky = (p: string, flags: string) => {
      if (++calls < 3) throw errnoError('EMFILE', 'open', p);
      return fs.openSync(p, flags);
    };
    expect(Buffer.from((await readWhole(entry, undefined, { openSync: flaky })).bytes).toString()).toBe(
      'int busy;\n',
    );
    expect(calls).toBe(3);
    calls = 0;
    const always = (p: string) => {
      calls++;
      throw errnoError('EBUSY', 'open', p);
    };
    await expect(readWhole(entry, undefined, { openSync: always })).rejects.toMatchObject({
      code: 'IO_ERROR',
    });
    expect(calls).toBe(3);
  });

  it('does not retry permanent errors, and honours an aborted signal', async () => {
    const entry = await fileEntry('a.c', 'x');
    let calls = 0;
    const denied = (p: string) => {
      calls++;
      throw errnoError('EACCES', 'open', p);
    };
    await expect(readWhole(entry, undefined, { openSync: denied })).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
    });
    expect(calls).toBe(1);
    await expect(readWhole(entry, AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('readHead', () => {
  it('returns the first bytes, or the whole file when it is shorter', async () => {
    const entry = await fileEntry('h.txt', 'abcdefghij');
    expect(Buffer.from(await readHead(entry, 4)).toString()).toBe('abcd');
    expect(Buffer.from(await readHead(entry, 100)).toString()).toBe('abcdefghij');
    await rm(entry.absPath);
    await expect(readHead(entry, 4)).rejects.toMatchObject({ code: 'FILE_VANISHED' });
  });
});

describe('chunkSizeFor', () => {
  it('grows with the file, shrinks with pressure, and stays within 64 KiB..1 MiB', () => {
    const KiB = 1024;
    expect(chunkSizeFor(10, 'normal')).toBe(64 * KiB);
    expect(chunkSizeFor(4 << 20, 'normal')).toBe(256 * KiB);
    expect(chunkSizeFor(1 << 30, 'normal')).toBe(1024 * KiB);
    expect(chunkSizeFor(1 << 30, 'high')).toBe(256 * KiB);
    expect(chunkSizeFor(1 << 30, 'critical')).toBe(64 * KiB);
    expect(chunkSizeFor(10, 'high')).toBe(64 * KiB);
  });
});

describe('streamText', () => {
  const text = 'héllo wörld 🌳🌲 中文字符 ∑ done\nsecond line — ok 😀\n';

  it('never splits a multibyte character, whatever the chunk size', async () => {
    const entry = await fileEntry('multi.txt', text);
    for (let chunk = 1; chunk <= 7; chunk++) {
      const parts = await drain(entry, chunk);
      expect(parts.join('')).toBe(text);
      expect(parts.some((part) => part.includes('\ufffd'))).toBe(false);
    }
  });

  it('replaces invalid UTF-8 with U+FFFD, including a truncated sequence at the end', async () => {
    const bytes = Buffer.concat([
      Buffer.from('ok '),
      Buffer.from([0xff]),
      Buffer.from(' é '),
      Buffer.from([0xe2, 0x82]),
    ]);
    const entry = await fileEntry('bad.txt', bytes);
    for (const chunk of [1, 2, 64]) expect((await drain(entry, chunk)).join('')).toBe('ok \ufffd é \ufffd');
  });

  it('decodes UTF-16 LE and BE after skipping the BOM', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(Buffer.from(text, 'utf16le')).swap16()]);
    const leEntry = await fileEntry('le.ts', le);
    const beEntry = await fileEntry('be.ts', be);
    for (const chunk of [1, 3, 5, 4096]) {
      expect((await drain(leEntry, chunk, 'utf-16le', 2)).join('')).toBe(text);
      expect((await drain(beEntry, chunk, 'utf-16be', 2)).join('')).toBe(text);
    }
  });

  it('asks a chunkSize function for every read, with the current pressure', async () => {
    const entry = await fileEntry('p.txt', 'x'.repeat(100));
    const seen: Pressure[] = [];
    const chunkSize = (pressure: Pressure) => {
      seen.push(pressure);
      return 10;
    };
    const parts: string[] = [];
    for await (const part of streamText(entry, {
      encoding: 'utf-8',
      bomBytes: 0,
      chunkSize,
      pressure: () => 'high',
    })) {
      parts.push(part);
    }
    expect(parts).toHaveLength(10);
    expect(seen).toEqual(Array(10).fill('high'));
  });

  it('throws FILE_CHANGED_DURING_READ when the file grows during the stream', async () => {
    const entry = await fileEntry('growing.log', 'line one\nline two\n');
    const run = async () => {
      let first = true;
      for await (const _ of streamText(entry, { encoding: 'utf-8', bomBytes: 0, chunkSize: 4 })) {
        if (first) await appendFile(entry.absPath, 'line three\n');
        first = false;
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'FILE_CHANGED_DURING_READ' });
  });

  it('closes its file handle on early return and on abort', async () => {
    const entry = await fileEntry('long.txt', 'abcdefgh'.repeat(1000));
    const before = openFds();
    for await (const _ of streamText(entry, { encoding: 'utf-8', bomBytes: 0, chunkSize: 16 })) break;
    expect(openFds()).toBe(before);
    const controller = new AbortController();
    const run = async () => {
      for await (const _ of streamText(entry, {
        encoding: 'utf-8',
        bomBytes: 0,
        chunkSize: 16,
        signal: controller.signal,
      })) {
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'ABORTED' });
    expect(openFds()).toBe(before);
  });

  it('maps a vanished file to FILE_VANISHED', async () => {
    const entry = await fileEntry('gone.txt', 'x');
    await rm(entry.absPath);
    await expect(drain(entry, 4)).rejects.toMatchObject({ code: 'FILE_VANISHED' });
  });

  it('streams a multi-chunk file through in order', async () => {
    const line = 'abcdefghijklmnopqrstuvwxyz0123456789 ünïcödé 文\n';
    const entry = await fileEntry('many.txt', line.repeat(20_000));
    const parts = await drain(entry, chunkSizeFor(entry.size, 'normal'));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(line.repeat(20_000));
  });
});
