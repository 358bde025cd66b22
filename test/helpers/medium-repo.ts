/**
 * A repository big enough that a kill can land anywhere in the run (walk, parse, batch commits, a
 * streamed file's transaction), small enough for CI: with the default 12 modules, ~730 files indexed in
 * ~0.6 s here. A test that must see the run's progress before stopping it asks for more modules.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeMediumRepo(dir: string, modules = 12): void {
  for (let m = 0; m < modules; m++) {
    const folder = join(dir, `module${m}`);
    mkdirSync(folder, { recursive: true });
    for (let f = 0; f < 30; f++) {
      const fns = Array.from(
        { length: 12 },
        (_, i) =>
          `int m${m}_f${f}_op${i}(int x) {\n  int y = x * ${i + 1};\n  return helper_${i % 5}(y) + m${m}_f${f}_op${(i + 1) % 12}(y - 1);\n}\n`,
      );
      writeFileSync(join(folder, `file${f}.c`), `#include "common.h"\n\n${fns.join('\n')}`);
      writeFileSync(
        join(folder, `script${f}.py`),
        `import os\n\nclass Worker${m}_${f}:\n    def run(self, value):\n        return os.path.join(str(value), "m${m}")\n`,
      );
    }
    writeFileSync(
      join(folder, 'README.md'),
      `# Module ${m}\n\n${'Notes about the module and its helpers.\n'.repeat(200)}`,
    );
  }
  // Streamed text files (over the 1 MiB parse cap): a kill can land inside their own transaction.
  for (let b = 0; b < 2; b++) {
    const line = `2026-11-23 event=${b} status=ok latency_ms=12 path=/api/v1/items\n`;
    writeFileSync(join(dir, `big${b}.log`), line.repeat(Math.ceil((3 * 1024 * 1024) / line.length)));
  }
}
