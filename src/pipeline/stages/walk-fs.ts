/**
 * The file-system calls the walk makes, behind a seam so tests can inject failures (EACCES as root,
 * vanishing entries). The defaults are synchronous on purpose: on a warm cache a `statSync` costs about a
 * third of the libuv thread-pool round trip, which dominated the walk (78k kernel files: 0.38 s sync vs
 * 1.2 s async on 2 cores). The walk bounds how long it blocks by yielding to the event loop every few ms.
 */
import fs from 'node:fs';

export interface WalkFs {
  readdir(path: string): fs.Dirent[];
  /** Follows links. */
  stat(path: string): fs.Stats;
  realpath(path: string): string;
  /** The text of an ignore file, at most `MAX_IGNORE_FILE_BYTES` of it. */
  readIgnoreFile(path: string): string;
}

/** A rule file bigger than this is hostile or a mistake; its head still applies, the rest is dropped. */
const MAX_IGNORE_FILE_BYTES = 1 << 20;

function readIgnoreFile(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(MAX_IGNORE_FILE_BYTES, fs.fstatSync(fd).size));
    let length = 0;
    while (length < buffer.length) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
}

export const defaultWalkFs: WalkFs = {
  readdir: (path) => fs.readdirSync(path, { withFileTypes: true }),
  stat: (path) => fs.statSync(path),
  realpath: (path) => fs.realpathSync.native(path),
  readIgnoreFile,
};
