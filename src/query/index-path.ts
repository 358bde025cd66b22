/**
 * Turns a path from a user or a request into the index's form (relative to the indexed root, `/`
 * separated), refusing anything outside the root: `../` climbing out, or an absolute path elsewhere.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { GroveError } from '../errors.js';

/**
 * `input` is absolute, or relative to `base` (default: the root itself). Symbolic links are not
 * followed: the index records paths as the walk saw them, and never follows links out of the root.
 */
export function toIndexPath(root: string, input: string, base: string = root): string {
  const absolute = isAbsolute(input) ? resolve(input) : resolve(base, input);
  const rel = relative(resolve(root), absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new GroveError('PATH_OUTSIDE_ROOT', `${input} is outside the indexed root ${root}.`, {
      path: input,
      root,
    });
  }
  return rel.split(sep).join('/');
}
