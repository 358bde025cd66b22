import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WalkEntry } from '../../../src/model.js';
import { classify, SNIFF_BYTES } from '../../../src/pipeline/stages/classify.js';
import { readHead, streamText } from '../../../src/pipeline/stages/read.js';
import { walk } from '../../../src/pipeline/stages/walk.js';
import { makeHostileRepo } from '../../fixtures/hostile.js';
import { collect, isRoot, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const BIG_LINE = 3 << 20;

describe('walk -> classify -> read over the hostile fixture', () => {
  it('records every path it finds, as a file or a problem, and classifies each file sensibly', async () => {
    const created = await makeHostileRepo(dir, { bigLineBytes: BIG_LINE });
    const { entries, problems } = await collect(walk(dir));
    const ignored = ['sub/debug.log', 'sub/note.excluded'];
    const expectedProblems = {
      'escape-dir': 'symlink-outside-root',
      'escape-file': 'symlink-outside-root',
      'broken-link': 'broken-symlink',
      'loop/self': 'symlink-loop',
      'loop/up': 'symlink-loop',
    };
    expect(Object.fromEntries(problems.map((p) => [p.path, p.reason]))).toEqual(expectedProblems);
    const walked = [...entries.map((e) => e.path), ...problems.map((p) => p.path)].sort();
    expect(walked).toEqual(created.filter((p) => !ignored.includes(p)).sort());

    const verdicts: Record<string, string> = {};
    const options = { maxFileSize: 1 << 20, hardCap: 64 << 20 };
    for (const entry of entries) {
      try {
        const head = await readHead(entry, SNIFF_BYTES);
        const c = classify(entry, head, options);
        verdicts[entry.path] = `${c.strategy}:${c.reason}:${c.encoding}`;
      } catch (error) {
        verdicts[entry.path] = `error:${(error as { code: string }).code}`;
      }
    }
    expect(verdicts).toMatchObject({
      'binary.c': 'skip:binary:utf-8',
      'invalid-utf8.py': 'parse:parsed:utf-8',
      'utf16-bom.ts': 'parse:parsed:utf-16le',
      'crlf.c': 'parse:parsed:utf-8',
      'empty.js': 'parse:empty:utf-8',
      'big-line.min.js': 'text:minified:utf-8',
      'dir with space/ünïcödé 文件 name.py': 'parse:parsed:utf-8',
      'new\nline.txt': 'text:no-parser:utf-8',
      'secret.c': isRoot ? 'parse:parsed:utf-8' : 'error:FILE_UNREADABLE',
    });
  });

  it('streams the single-line file in bounded chunks', async () => {
    await makeHostileRepo(dir, { bigLineBytes: BIG_LINE });
    const entry = (await collect(walk(dir))).entries.find((e) => e.path === 'big-line.min.js') as WalkEntry;
    let length = 0;
    let largest = 0;
    for await (const part of streamText(entry, { encoding: 'utf-8', bomBytes: 0, chunkSize: 64 * 1024 })) {
      length += part.length;
      largest = Math.max(largest, part.length);
    }
    expect(length).toBe(BIG_LINE);
    expect(largest).toBeLessThanOrEqual(64 * 1024);
  });
});
