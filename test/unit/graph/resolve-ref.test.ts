import { describe, expect, it } from 'vitest';
import { type RefSite, refWeight, resolveRef, toDefiners } from '../../../src/graph/resolve-ref.js';

/** Files 1..9: language and directory per id, as the linker sees them. */
const FILES: Record<number, { language: string; dir: number }> = {
  1: { language: 'c', dir: 0 },
  2: { language: 'c', dir: 0 },
  3: { language: 'c', dir: 1 },
  4: { language: 'cpp', dir: 2 },
  5: { language: 'typescript', dir: 3 },
  6: { language: 'typescript', dir: 3 },
  7: { language: 'tsx', dir: 4 },
  8: { language: 'go', dir: 5 },
  9: { language: 'go', dir: 5 },
};

function site(fileId: number, imports: number[] = []): RefSite {
  return {
    fileId,
    imports: new Set(imports),
    dirOf: (id) => FILES[id]?.dir ?? -1,
    languageOf: (id) => FILES[id]?.language ?? null,
  };
}

const top = (...ids: number[]) => toDefiners(ids.map((fileId) => ({ fileId, member: false })));

describe('resolveRef', () => {
  it('prefers a definition in the file itself over every other', () => {
    expect(resolveRef(top(1, 2, 3), site(1, [3]))).toEqual({ via: 'file', targets: [1] });
  });

  it('prefers imported files over the same directory', () => {
    expect(resolveRef(top(2, 3), site(1, [3]))).toEqual({ via: 'import', targets: [3] });
  });

  it('falls back to the same directory, then to a rare top-level name anywhere (C)', () => {
    expect(resolveRef(top(2, 3), site(1))).toEqual({ via: 'directory', targets: [2] });
    expect(resolveRef(top(3, 4), site(1))).toEqual({ via: 'global', targets: [3, 4] });
  });

  it('leaves a name defined in many places far away unresolved', () => {
    const many = toDefiners([3, 4, 10, 11].map((fileId) => ({ fileId, member: false })));
    const wide: RefSite = {
      ...site(1),
      languageOf: (id) => (id >= 10 ? 'c' : (FILES[id]?.language ?? null)),
    };
    expect(resolveRef(many, wide)).toEqual({ via: 'ambiguous', targets: [] });
  });

  it('never resolves to another language family', () => {
    expect(resolveRef(top(8), site(1))).toEqual({ via: 'undefined', targets: [] });
    expect(resolveRef(top(7), site(5, [7]))).toEqual({ via: 'import', targets: [7] });
  });

  it('resolves JavaScript and TypeScript names only through imports', () => {
    expect(resolveRef(top(6), site(5))).toEqual({ via: 'ambiguous', targets: [] });
    expect(resolveRef(top(6), site(5, [6]))).toEqual({ via: 'import', targets: [6] });
  });

  it('resolves Go names within the package directory but not globally', () => {
    expect(resolveRef(top(9), site(8))).toEqual({ via: 'directory', targets: [9] });
  });

  it('does not resolve a far-away method by its name alone', () => {
    const method = toDefiners([{ fileId: 3, member: true }]);
    expect(resolveRef(method, site(1))).toEqual({ via: 'ambiguous', targets: [] });
    expect(resolveRef(method, site(1, [3]))).toEqual({ via: 'import', targets: [3] });
  });

  it('weighs uses sublinearly and splits between ambiguous targets', () => {
    expect(refWeight(1, 1)).toBe(1);
    expect(refWeight(4, 1)).toBe(2);
    expect(refWeight(4, 2)).toBe(1);
  });
});
