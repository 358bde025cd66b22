/**
 * Resolves references at query time with the linker's rules (graph/resolve-ref.ts), from what one query
 * has seen of the files involved: their directories and languages, noted as rows come in.
 */
import { dirname } from '../graph/path-index.js';
import { isMemberKind, type ResolvedRef, resolveRef, toDefiners } from '../graph/resolve-ref.js';
import type { DefinitionRow } from '../store/graph-queries.js';

export function createRefSites() {
  const dirNumbers = new Map<string, number>();
  const dirs = new Map<number, number>();
  const languages = new Map<number, string | null>();
  const note = (id: number, path: string, language?: string | null): void => {
    const dir = dirname(path);
    if (!dirNumbers.has(dir)) dirNumbers.set(dir, dirNumbers.size);
    dirs.set(id, dirNumbers.get(dir) ?? -1);
    if (language !== undefined) languages.set(id, language);
  };
  return {
    /** Records a file's path (for its directory) and, when known, its language. */
    note,
    /** Which of `definitions` a use of their name in file `fileId` (importing `imports`) resolves to. */
    resolve(
      definitions: readonly DefinitionRow[],
      fileId: number,
      imports: ReadonlySet<number>,
    ): ResolvedRef {
      for (const d of definitions) note(d.fileId, d.path, d.language);
      const definers = toDefiners(
        definitions.map((d) => ({ fileId: d.fileId, member: isMemberKind(d.kind) })),
      );
      return resolveRef(definers, {
        fileId,
        imports,
        dirOf: (id) => dirs.get(id) ?? -1,
        languageOf: (id) => languages.get(id) ?? null,
      });
    },
  };
}
