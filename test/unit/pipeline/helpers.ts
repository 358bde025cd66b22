/** Temp directories and small file-tree builders shared by the pipeline stage tests. */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WalkEntry, WalkProblem } from '../../../src/model.js';

/** A fresh temp directory; `cleanup` makes everything writable again first, so chmod 000 cannot block it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'grove-pipeline-'));
  const cleanup = async () => {
    spawnSync('chmod', ['-R', 'u+rwX', dir]);
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, cleanup };
}

/** Writes `files` (relative path -> content) under `dir`, creating directories. */
export async function writeTree(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
}

export function isEntry(item: WalkEntry | WalkProblem): item is WalkEntry {
  return 'absPath' in item;
}

/** Drains a walk into its file paths and its problems, in output order. */
export async function collect(items: AsyncIterable<WalkEntry | WalkProblem>) {
  const files: string[] = [];
  const entries: WalkEntry[] = [];
  const problems: WalkProblem[] = [];
  for await (const item of items) {
    if (isEntry(item)) {
      files.push(item.path);
      entries.push(item);
    } else problems.push(item);
  }
  return { files, entries, problems };
}

/** Root bypasses file permissions, so chmod-based tests assert the readable behaviour there instead. */
export const isRoot = process.getuid?.() === 0;

export function errnoError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected, ${syscall} '${file}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = file;
  return error;
}
