/**
 * Generates a repository much larger than a small memory budget: big text logs (streamed), one huge
 * single-line file, and thousands of C files (parsed). Written in pieces so the generator itself stays small.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const MIB = 1024 * 1024;

export interface BigRepoShape {
  logs: number;
  logMiB: number;
  singleLineMiB: number;
  cFiles: number;
}

/** Writes pieces until at least `totalBytes`; returns the bytes actually written. */
function writeInPieces(path: string, totalBytes: number, piece: (index: number) => string): number {
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    for (let i = 0; written < totalBytes; i++) written += writeSync(fd, piece(i));
    return written;
  } finally {
    closeSync(fd);
  }
}

function cSource(index: number): string {
  const functions: string[] = [];
  for (let f = 0; f < 40; f++) {
    functions.push(`static int module${index}_step${f}(int value, const char *label) {
  int total = value * ${f + 1};
  if (total > ${1000 + f}) {
    total -= helper_${f % 7}(label, total);
  }
  for (int i = 0; i < ${f + 3}; i++) total += i ^ value;
  return total;
}
`);
  }
  return `#include <stdio.h>\n#include "common.h"\n\n${functions.join('\n')}`;
}

/** Returns the total bytes written. */
export function writeBigRepo(dir: string, shape: BigRepoShape): number {
  let total = 0;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  for (let l = 0; l < shape.logs; l++) {
    total += writeInPieces(join(dir, 'logs', `service-${l}.log`), shape.logMiB * MIB, (i) =>
      `2026-11-23T10:${String(i % 60).padStart(2, '0')}:00Z INFO request ${i} served in ${i % 97} ms by worker-${i % 8} for tenant-${i % 13}\n`.repeat(
        64,
      ),
    );
  }
  const line = 'var a=function(b){return b*2};'.repeat(1024);
  total += writeInPieces(join(dir, 'bundle.min.js'), shape.singleLineMiB * MIB, () => line);
  for (let c = 0; c < shape.cFiles; c++) {
    const folder = join(dir, 'src', `part${Math.floor(c / 200)}`);
    if (c % 200 === 0) mkdirSync(folder, { recursive: true });
    const text = cSource(c);
    writeFileSync(join(folder, `module${c}.c`), text);
    total += text.length;
  }
  return total;
}
