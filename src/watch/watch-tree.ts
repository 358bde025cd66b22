/**
 * A native recursive watch of a repository (`@parcel/watcher`: inotify, FSEvents, ReadDirectoryChangesW;
 * never polling), reporting root-relative changed paths. `.git` internals and the index directory are
 * not watched: a commit or an index write must not look like a source change.
 */
import { relative, sep } from 'node:path';
import watcher from '@parcel/watcher';

export interface TreeWatch {
  close(): Promise<void>;
}

export async function watchTree(
  root: string,
  ignoreDirs: readonly string[],
  onChange: (paths: string[]) => void,
  onError: (error: Error) => void,
): Promise<TreeWatch> {
  const ignore = ['.git', ...ignoreDirs.map((dir) => relative(root, dir)).filter(isInside)];
  const subscription = await watcher.subscribe(
    root,
    (error, events) => {
      if (error) {
        onError(error);
        return;
      }
      const paths: string[] = [];
      for (const event of events) {
        const rel = relative(root, event.path);
        if (isInside(rel)) paths.push(sep === '/' ? rel : rel.split(sep).join('/'));
      }
      if (paths.length > 0) onChange(paths);
    },
    { ignore },
  );
  return { close: () => subscription.unsubscribe() };
}

function isInside(rel: string): boolean {
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
}
