import { describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { toIndexPath } from '../../../src/query/index-path.js';

describe('toIndexPath', () => {
  it('turns paths relative to the root or to a working directory into index paths', () => {
    expect(toIndexPath('/repo', 'src/a.ts')).toBe('src/a.ts');
    expect(toIndexPath('/repo', './src/../src/a.ts')).toBe('src/a.ts');
    expect(toIndexPath('/repo', 'a.ts', '/repo/src')).toBe('src/a.ts');
    expect(toIndexPath('/repo', '/repo/src/a.ts')).toBe('src/a.ts');
  });

  it('refuses paths outside the root with PATH_OUTSIDE_ROOT', () => {
    for (const input of ['../etc/passwd', '/etc/passwd', 'src/../../x', '/repo-other/a.ts', '.']) {
      try {
        toIndexPath('/repo', input);
        expect.unreachable(`${input} should be refused`);
      } catch (error) {
        expect(error).toBeInstanceOf(GroveError);
        expect((error as GroveError).code).toBe('PATH_OUTSIDE_ROOT');
      }
    }
  });
});
