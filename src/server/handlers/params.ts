/**
 * Request params: validated with zod before any handler touches them (a wrong type is REQUEST_INVALID,
 * never a crash), and paths confined to the indexed root (PATH_OUTSIDE_ROOT: the daemon never reads
 * outside a root it indexes).
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { GroveError } from '../../errors.js';
import { toIndexPath } from '../../query/index-path.js';

/** Which project: its root, or its index directory (absolute paths). */
export const target = {
  root: z.string().min(1).optional(),
  index: z.string().min(1).optional(),
};

/**
 * Parses `params` with `schema` (built once per method: zod compiles a schema on first use, so building
 * one per request would cost more than the query), turning a failure into REQUEST_INVALID naming the field.
 */
export function parseParams<T extends z.ZodType>(method: string, schema: T, params: unknown): z.infer<T> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'params';
  throw new GroveError('REQUEST_INVALID', `${method}: ${where}: ${issue?.message ?? 'invalid'}`, {
    method,
  });
}

/**
 * `path` (relative to `root`, or absolute under it) as a root-relative `/` path: `toIndexPath`'s lexical
 * check, then the same check after resolving links, so a link inside the root cannot lead a request out.
 * @throws GroveError PATH_OUTSIDE_ROOT for `..` escapes, absolute paths elsewhere and links out of the root.
 */
export function pathInsideRoot(root: string, path: string): string {
  const rel = toIndexPath(root, path);
  let real: string | null = null;
  try {
    real = realpathSync(resolve(root, rel));
  } catch {
    // Gone (or never existed): nothing to read, and the lexical check holds.
  }
  if (real !== null) {
    const realRel = relative(realpathSync(root), real);
    if (realRel === '..' || realRel.startsWith(`..${sep}`) || isAbsolute(realRel)) {
      throw new GroveError('PATH_OUTSIDE_ROOT', `${path} leads outside the indexed root ${root}`, {
        root,
        path,
      });
    }
  }
  return rel;
}
