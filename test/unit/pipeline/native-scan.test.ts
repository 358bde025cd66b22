import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DirectoryScanner,
  LISTING_STAT_FIELDS,
  type Listing,
  listAhead,
  listedAheadSince,
  nativeScan,
  scannerFor,
} from '../../../src/pipeline/stages/native-scan.js';
import { walk } from '../../../src/pipeline/stages/walk.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { collect, tempDir, writeTree } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

// `npm install` builds the addon; a checkout where it failed to build must fail here, not run slower.
const native = nativeScan();
const scanner = (threads: number, heldEntryLimit?: number) => {
  if (native === null) throw new Error('the native scanner (build/Release/grove_scan.node) is not built');
  return new DirectoryScanner(native, threads, heldEntryLimit);
};

/** What Node's lstat says of every entry, in the scanner's terms. */
function lstatListing(abs: string, names: string[]) {
  return names.map((name) => {
    const st = fs.lstatSync(path.join(abs, name));
    const kind = st.isFile() ? 1 : st.isDirectory() ? 2 : st.isSymbolicLink() ? 3 : 4;
    return { name, kind, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev };
  });
}

function asRows(listing: Listing) {
  return listing.names.map((name, i) => {
    const at = i * LISTING_STAT_FIELDS;
    const [size, mtimeMs, ino, dev] = listing.stats.subarray(at, at + LISTING_STAT_FIELDS);
    return { name, kind: listing.kinds[i], size, mtimeMs, ino, dev };
  });
}

/** A tree of `dirs` directories and files, some of them ignored, with names that sort differently as dirs. */
async function generatedTree(root: string, seed: number, dirs: number): Promise<void> {
  const random = seededRandom(seed);
  const made = [''];
  const files: Record<string, string> = { '.gitignore': 'build/\n*.log\n!keep.log\n' };
  for (let i = 0; i < dirs; i++) {
    const parent = made[Math.floor(random() * made.length)] as string;
    const names = ['a', 'a.c', 'a0', 'build', 'src', 'lib', 'ü', `d${i}`];
    const name = names[Math.floor(random() * names.length)] as string;
    const rel = parent === '' ? name : `${parent}/${name}`;
    if (made.includes(rel) || files[rel] !== undefined) continue;
    made.push(rel);
    for (let f = 0; f < 1 + Math.floor(random() * 6); f++) {
      files[`${rel}/${['x.c', 'y.log', 'keep.log', 'z.py', 'a.c', 'a'][f]}`] = `${i}-${f}`;
    }
  }
  await mkdir(path.join(root, '.git', 'info'), { recursive: true });
  await writeTree(root, files);
}

describe('native scanner', () => {
  it('is built and lists a directory with the same lstat data as Node', async () => {
    await writeTree(dir, { 'b.c': 'bbb', 'a.c': '', 'ü 文件.py': 'x\n', 'sub/x': '1', 'new\nline': 'n' });
    await symlink('b.c', path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    const listing = scanner(0).scan(dir);
    expect(listing.names).toEqual(
      [...listing.names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    expect(asRows(listing)).toEqual(
      lstatListing(dir, fs.readdirSync(dir).sort()).sort((a, b) =>
        Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
      ),
    );
    expect(listing.jobs).toBeNull();
  });

  it('sorts in walk order itself, and says when its order is not that of the decoded names', async () => {
    await writeTree(dir, { 'a/x': '', 'a.c': '', a0: '', 'é/y': '' });
    const s = scanner(0);
    const listing = s.scan(dir);
    expect(listing.names).toEqual(['a.c', 'a', 'a0', 'é']);
    expect(listing.inWalkOrder).toBe(true);
    // A name that is not UTF-8 decodes to U+FFFD, which sorts elsewhere than its bytes.
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0x62, 0xff])]), '');
    expect(s.scan(dir).inWalkOrder).toBe(false);
    expect(await collect(walk(dir))).toEqual(await collect(walk(dir, { nativeScan: false })));
  });

  it('throws the error Node throws for a directory it cannot list', async () => {
    await writeTree(dir, { 'file.c': '' });
    const s = scanner(0);
    expect(() => s.scan(path.join(dir, 'missing'))).toThrow(
      expect.objectContaining({ code: 'ENOENT', syscall: 'scandir' }),
    );
    expect(() => s.scan(path.join(dir, 'file.c'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    s.close();
  });

  it('files subdirectories as jobs, and a dropped job takes what was listed below it along', async () => {
    await writeTree(dir, { 'a/b/c/f': '', 'a/g': '', 'h/i': '', '.git/HEAD': '' });
    const s = scanner(1);
    const root = s.take(s.queue(dir), dir);
    expect(root.names).toEqual(['.git', 'a', 'h']);
    expect(root.jobs?.[0]).toBe(-1); // .git is never listed ahead
    const a = s.take(root.jobs?.[1] as number, path.join(dir, 'a'));
    expect(a.names).toEqual(['b', 'g']);
    const bJob = a.jobs?.[0] as number;
    expect(bJob).toBeGreaterThanOrEqual(0);
    expect(a.jobs?.[1]).toBe(-1);
    s.drop(bJob);
    s.drop(bJob); // dropping twice is no error
    expect(() => s.take(bJob, path.join(dir, 'a/b'))).toThrow(/no such scan job/);
    expect(s.take(root.jobs?.[2] as number, path.join(dir, 'h')).names).toEqual(['i']);
    s.close();
    expect(() => s.queue(dir)).not.toThrow();
  });

  it('lists ahead on several threads, with a small held limit, exactly what a walk on this thread lists', async () => {
    await generatedTree(dir, 7, 400);
    const random = seededRandom(11);
    const walkTree = (s: DirectoryScanner, drops: boolean) => {
      const seen: string[] = [];
      const visit = (job: number, abs: string, rel: string) => {
        const listing = s.take(job, abs);
        asRows(listing).forEach((row, i) => {
          seen.push(`${rel}${row.name}:${row.kind}:${row.size}:${row.mtimeMs}:${row.ino}`);
          const child = listing.jobs?.[i] ?? -1;
          if (child < 0) return;
          if (drops && random() < 0.2) s.drop(child);
          else visit(child, path.join(abs, row.name), `${rel}${row.name}/`);
        });
      };
      visit(s.queue(dir), dir, '');
      s.close();
      return seen;
    };
    const reference = walkTree(scanner(0), false);
    expect(reference.length).toBeGreaterThan(1000);
    for (const [threads, limit] of [
      [1, 65_536],
      [2, 8],
      [3, 1],
    ] as const) {
      expect(walkTree(scanner(threads, limit), false)).toEqual(reference);
    }
    const dropped = walkTree(scanner(2, 16), true);
    expect(dropped.length).toBeLessThan(reference.length);
    expect(reference).toEqual(expect.arrayContaining(dropped));
  });

  it('gives the walk the same files, stats and problems as Node listing', async () => {
    await generatedTree(dir, 3, 600);
    await symlink('a', path.join(dir, 'link-to-a'));
    await symlink('/', path.join(dir, 'escape'));
    await symlink('missing', path.join(dir, 'broken'));
    const withScanner = await collect(walk(dir));
    const withNode = await collect(walk(dir, { nativeScan: false }));
    expect(withScanner.entries.length).toBeGreaterThan(200);
    expect(withScanner.files.some((f) => f.includes('build/'))).toBe(false);
    expect(withScanner.files.some((f) => f.endsWith('keep.log'))).toBe(true);
    expect(withScanner.entries).toEqual(withNode.entries);
    expect(withScanner.problems).toEqual(withNode.problems);
  });

  it('hands a scanner started ahead to the walk of its root, and closes one started for another root', async () => {
    await generatedTree(dir, 5, 100);
    const reference = await collect(walk(dir, { nativeScan: false }));
    const started = listAhead(dir);
    expect(scannerFor(dir, true)).toBe(started);
    started?.close();
    listAhead(dir);
    expect(await collect(walk(dir))).toEqual(reference);
    const elsewhere = listAhead(path.join(dir, 'a'));
    expect(await collect(walk(dir))).toEqual(reference);
    expect(elsewhere?.queue(dir)).toBe(-1); // closed: it files no more jobs
    const unwanted = listAhead(dir);
    expect(scannerFor(dir, false)).toBeNull();
    expect(unwanted?.queue(dir)).toBe(-1);
  });

  it('says since when it listed ahead, and does not hand over listings older than allowed', async () => {
    await writeTree(dir, { 'f.c': '' });
    const before = Date.now();
    const stale = listAhead(dir);
    const since = listedAheadSince(dir) as number;
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(listedAheadSince(path.join(dir, 'elsewhere'))).toBeNull();
    const handed = scannerFor(dir, true, -1);
    expect(handed).not.toBe(stale);
    expect(stale?.queue(dir)).toBe(-1);
    expect(listedAheadSince(dir)).toBeNull();
    handed?.close();
  });
});
