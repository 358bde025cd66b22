/**
 * The reference graph's tables: `file_imports` (a file's imports resolved to files), `file_deps` (file A
 * uses definitions of file B, weighted), `files.rank` (PageRank over file_deps) and `graph_dirty`
 * (files written since the graph was last linked). The linking logic lives in src/graph; this module
 * only knows the SQL.
 */
import type Database from 'better-sqlite3';

export interface GraphFile {
  id: number;
  path: string;
  language: string | null;
}

/** A name a file refers to, and how many times (an array: a full link reads 2M of them on the kernel). */
export type NameRef = readonly [name: string, uses: number];

/** A file_deps row as an array (ranking reads every edge: 681k on the kernel). */
export type DepEdge = readonly [src: number, dst: number, weight: number];

/** The files defining a name; `topLevel`: those with a definition that is not a member of a type. */
export interface Definers {
  files: readonly number[];
  topLevel: readonly number[];
}

/**
 * Kinds that belong to a type: a method name says nothing about which class it is in. Whatever else is
 * nested (a class in a C++ namespace, a C enumerator in its enum) is visible from outside.
 */
const MEMBER_KINDS = ['method', 'constructor'];

/**
 * A name with more top-level definitions than this anywhere, none of them near the user, stays
 * unresolved (see graph/resolve-ref.ts). The writer hooks use it too: adding or removing one definer of
 * a name that has more leaves its far users unresolved, so they need not be linked again.
 */
export const MAX_GLOBAL_DEFINERS = 3;

const MEMBER_KIND_LIST = MEMBER_KINDS.map((kind) => `'${kind}'`).join(', ');

export function isMemberKind(kind: string): boolean {
  return MEMBER_KINDS.includes(kind);
}

/** Builds Definers from (file, is-member) rows, one per definition. */
export function toDefiners(rows: Iterable<{ fileId: number; member: number | boolean }>): Definers {
  const files = new Set<number>();
  const topLevel = new Set<number>();
  for (const row of rows) {
    files.add(row.fileId);
    if (!row.member) topLevel.add(row.fileId);
  }
  return { files: [...files], topLevel: [...topLevel] };
}

const NO_DEFINERS: Definers = Object.freeze({ files: [], topLevel: [] });

/** Definers from raw (file, is-member) rows; the single-definition case (most names) allocates no sets. */
function definersOfRows(rows: ReadonlyArray<[number, number]>): Definers {
  if (rows.length === 0) return NO_DEFINERS;
  if (rows.length === 1) {
    const [fileId, member] = rows[0] as [number, number];
    const files = [fileId];
    return { files, topLevel: member ? [] : files };
  }
  return toDefiners(rows.map(([fileId, member]) => ({ fileId, member })));
}

/** `graph_dirty.names_changed` of a path new to the index (1: its names changed; 0: same names). */
const NEW_PATH = 2;

/** Prepared once per store; read methods work on a read-only store too. */
export function createGraphStore(db: Database.Database) {
  const s = {
    files: db.prepare<[], GraphFile>(
      "SELECT id, path, language FROM files WHERE state IN ('indexed', 'text-only') ORDER BY id",
    ),
    importsOf: db
      .prepare<[number], string>('SELECT source FROM imports WHERE file_id = ? ORDER BY seq')
      .pluck(),
    // `lines` is a comma-separated list: counting its commas in SQL spares creating the string in JS.
    refsOf: db
      .prepare<[number], NameRef>(
        "SELECT name, length(lines) - length(replace(lines, ',', '')) + 1 FROM refs WHERE file_id = ?",
      )
      .raw(),
    // Rows as arrays: a full link of the kernel asks this for ~600k names, and objects cost ~1 s more.
    definers: db
      .prepare<[string], [number, number]>(
        `SELECT file_id, kind IN (${MEMBER_KIND_LIST}) FROM symbols WHERE name = ?`,
      )
      .raw(),
    definedNames: db.prepare<[number], string>('SELECT DISTINCT name FROM symbols WHERE file_id = ?').pluck(),
    referencing: db.prepare<[string], number>('SELECT DISTINCT file_id FROM refs WHERE name = ?').pluck(),
    // Files with a top-level definition of the name in the language of file `like`, other than file
    // `except`. The same language, not its family: never more than the family counts, so a small count
    // is never missed.
    topLevelDefiners: db
      .prepare<[{ name: string; like: number; except: number }], number>(
        `SELECT count(DISTINCT s.file_id) FROM symbols s JOIN files f ON f.id = s.file_id
         WHERE s.name = @name AND s.kind NOT IN (${MEMBER_KIND_LIST}) AND s.file_id != @except
           AND f.language IS (SELECT language FROM files WHERE id = @like)`,
      )
      .pluck(),
    resolvedImports: db.prepare<[number], number>('SELECT dst FROM file_imports WHERE src = ?').pluck(),
    importers: db.prepare<[number], number>('SELECT src FROM file_imports WHERE dst = ?').pluck(),
    dirty: db.prepare<[], number>('SELECT file_id FROM graph_dirty').pluck(),
    dirtyCount: db.prepare<[], number>('SELECT count(*) FROM graph_dirty').pluck(),
    fileCount: db.prepare<[], number>('SELECT count(*) FROM files').pluck(),
    deps: db.prepare<[], DepEdge>('SELECT src, dst, weight FROM file_deps').raw(),
    depsInto: db.prepare<[number], number>('SELECT src FROM file_deps WHERE dst = ?').pluck(),
    undirty: db.prepare<[number]>('DELETE FROM graph_dirty WHERE file_id = ?'),
    markDirty: db.prepare<[number, number]>(
      `INSERT INTO graph_dirty (file_id, names_changed) VALUES (?, ?)
       ON CONFLICT (file_id) DO UPDATE SET names_changed = max(names_changed, excluded.names_changed)`,
    ),
    markSourcesDirty: db.prepare<[number]>(
      'INSERT OR IGNORE INTO graph_dirty (file_id, names_changed) SELECT src, 0 FROM file_deps WHERE dst = ?',
    ),
    markImportersDirty: db.prepare<[number]>(
      'INSERT OR IGNORE INTO graph_dirty (file_id, names_changed) SELECT src, 0 FROM file_imports WHERE dst = ?',
    ),
    markUsersDirty: db.prepare<[string]>(
      'INSERT OR IGNORE INTO graph_dirty (file_id, names_changed) SELECT DISTINCT file_id, 0 FROM refs WHERE name = ?',
    ),
    dirtyNewPaths: db
      .prepare<[], string>(
        `SELECT f.path FROM graph_dirty d JOIN files f ON f.id = d.file_id WHERE d.names_changed = ${NEW_PATH}`,
      )
      .pluck(),
    importSources: db.prepare<[], { fileId: number; source: string }>(
      'SELECT file_id AS fileId, source FROM imports',
    ),
    dirtyWithNewNames: db
      .prepare<[], number>('SELECT file_id FROM graph_dirty WHERE names_changed >= 1')
      .pluck(),
    deleteDepsFrom: db.prepare<[number]>('DELETE FROM file_deps WHERE src = ?'),
    deleteDepsInto: db.prepare<[number]>('DELETE FROM file_deps WHERE dst = ?'),
    deleteImportsFrom: db.prepare<[number]>('DELETE FROM file_imports WHERE src = ?'),
    deleteImportsInto: db.prepare<[number]>('DELETE FROM file_imports WHERE dst = ?'),
    insertImport: db.prepare<[number, number]>('INSERT OR IGNORE INTO file_imports (src, dst) VALUES (?, ?)'),
    insertDep: db.prepare<[number, number, number, number]>(
      'INSERT INTO file_deps (src, dst, weight, names) VALUES (?, ?, ?, ?)',
    ),
    setRank: db.prepare<[number, number]>('UPDATE files SET rank = ? WHERE id = ?'),
  };

  /**
   * A file stops defining `name` (deleted, or rewritten without it). Users with an edge to the file are
   * marked through `file_deps`; the others resolved the name elsewhere (their own file, an import, their
   * directory) or not at all. Of those, only users that found it ambiguous can change: when at most
   * MAX_GLOBAL_DEFINERS top-level definitions remain, the global rule may now pick one. Marking every
   * user of every name made deleting `kernel/fork.c` relink the whole kernel (common names have
   * thousands of users).
   */
  const markFarUsers = (name: string, fileId: number): void => {
    const remaining = s.topLevelDefiners.get({ name, like: fileId, except: fileId }) ?? 0;
    if (remaining <= MAX_GLOBAL_DEFINERS) s.markUsersDirty.run(name);
  };
  return {
    files: () => s.files.iterate(),
    importsOf: (fileId: number) => s.importsOf.all(fileId),
    /** The names a file refers to, with how many times. */
    refsOf: (fileId: number) => s.refsOf.all(fileId),
    definers: (name: string) => definersOfRows(s.definers.all(name)),
    definedNames: (fileId: number) => s.definedNames.all(fileId),
    referencingFiles: (name: string) => s.referencing.all(name),
    /**
     * Whether `fileId`'s definition of `name` may change how far users resolve it: few enough top-level
     * definitions in its language (itself included) that the global rule picks some (see markFarUsers).
     */
    fewTopLevelDefiners: (name: string, fileId: number) =>
      (s.topLevelDefiners.get({ name, like: fileId, except: -1 }) ?? 0) <= MAX_GLOBAL_DEFINERS + 1,
    /** The files that `fileId` imports (resolved). */
    resolvedImports: (fileId: number) => s.resolvedImports.all(fileId),
    /** The files that import `fileId`. */
    importers: (fileId: number) => s.importers.all(fileId),
    dependents: (fileId: number) => s.depsInto.all(fileId),
    dirtyFiles: () => s.dirty.all(),
    /** Dirty files whose set of defined names changed: the users of those names must be resolved again. */
    dirtyWithNewNames: () => s.dirtyWithNewNames.all(),
    /** Dirty files that are new paths: imports that did not resolve before may name them now. */
    dirtyNewPaths: () => s.dirtyNewPaths.all(),
    /** Every import row (read-only iteration: do not write while it runs). */
    importSources: () => s.importSources.iterate(),
    dirtyCount: () => s.dirtyCount.get() ?? 0,
    fileCount: () => s.fileCount.get() ?? 0,
    deps: () => s.deps.iterate(),

    /** Writer hook, before a file's rows are replaced: returns the names it defined. */
    fileRewriting(fileId: number): Set<string> {
      const names = new Set(s.definedNames.all(fileId));
      s.deleteDepsFrom.run(fileId);
      s.deleteImportsFrom.run(fileId);
      return names;
    },
    /**
     * Writer hook, after a file's rows were written (`before`: the names it defined until now, null for a
     * new path). Edges into the file stay valid while it defines the same names; otherwise the files that
     * used it are resolved again, and so are the users of its new names (found at link time).
     */
    fileWritten(fileId: number, before: Set<string> | null): void {
      let namesChanged = before === null;
      if (before !== null) {
        const after = new Set(s.definedNames.all(fileId));
        const removed = [...before].filter((name) => !after.has(name));
        namesChanged = removed.length > 0 || after.size !== before.size;
        if (namesChanged) {
          s.markSourcesDirty.run(fileId);
          s.deleteDepsInto.run(fileId);
        }
        for (const name of removed) markFarUsers(name, fileId);
      }
      s.markDirty.run(fileId, before === null ? NEW_PATH : namesChanged ? 1 : 0);
    },
    /** Writer hook, before a file is deleted: its users, importers and the users of its names are resolved again. */
    fileDeleted(fileId: number): void {
      for (const name of s.definedNames.all(fileId)) markFarUsers(name, fileId);
      s.markSourcesDirty.run(fileId);
      s.markImportersDirty.run(fileId);
      for (const statement of [
        s.deleteDepsInto,
        s.deleteDepsFrom,
        s.deleteImportsInto,
        s.deleteImportsFrom,
      ]) {
        statement.run(fileId);
      }
      s.undirty.run(fileId);
    },

    /**
     * Removes every edge before a full link, and the indexes on edge targets: rows then go in by source,
     * in key order, and the indexes are built once at the end (`endFullLink`).
     */
    beginFullLink(): void {
      db.exec(`DELETE FROM file_deps; DELETE FROM file_imports;
        DROP INDEX IF EXISTS file_deps_dst; DROP INDEX IF EXISTS file_imports_dst;`);
    },
    endFullLink(): void {
      db.exec(`CREATE INDEX file_deps_dst ON file_deps (dst, src);
        CREATE INDEX file_imports_dst ON file_imports (dst, src); DELETE FROM graph_dirty;`);
    },
    /** Removes the outgoing edges of files about to be linked again. */
    clearFrom(fileId: number): void {
      s.deleteDepsFrom.run(fileId);
      s.deleteImportsFrom.run(fileId);
    },
    clearDirty(ids?: Iterable<number>): void {
      if (ids === undefined) db.exec('DELETE FROM graph_dirty');
      else for (const id of ids) s.undirty.run(id);
    },
    addImport: (src: number, dst: number) => void s.insertImport.run(src, dst),
    addDep: (src: number, dst: number, weight: number, names: number) =>
      void s.insertDep.run(src, dst, weight, names),
    setRank: (fileId: number, rank: number) => void s.setRank.run(rank, fileId),
    /** Runs `fn` in one write transaction. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
  };
}

export type GraphStore = ReturnType<typeof createGraphStore>;
