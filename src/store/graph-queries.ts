/**
 * Read-side SQL for references, the repository map and file context. Every statement is prepared once
 * per store, so a warm query does no schema or planning work.
 */
import type Database from 'better-sqlite3';

export interface RefRow {
  fileId: number;
  path: string;
  language: string | null;
  kind: string;
  /** Comma-separated line numbers. */
  lines: string;
}

export interface DefinitionRow {
  fileId: number;
  path: string;
  language: string | null;
  name: string;
  kind: string;
  line: number;
  endLine: number;
  signature: string;
  parent: string | null;
}

export interface FileRef {
  id: number;
  path: string;
  language: string | null;
  rank: number;
}

export interface LinkedFile {
  id: number;
  path: string;
  weight: number;
  names: number;
}

export interface ChunkRow {
  path: string;
  startLine: number;
  endLine: number;
  kind: string;
  symbol: string | null;
  text: string;
}

const DEFINITION = `s.file_id AS fileId, f.path, f.language, s.name, s.kind, s.start_line AS line, s.end_line AS endLine,
  s.signature, s.parent FROM symbols s JOIN files f ON f.id = s.file_id`;

export function createGraphQueries(db: Database.Database) {
  const s = {
    refsNamed: db.prepare<[string, number], RefRow>(
      `SELECT r.file_id AS fileId, f.path, f.language, r.kind, r.lines FROM refs r JOIN files f ON f.id = r.file_id
       WHERE r.name = ? ORDER BY f.path, r.kind LIMIT ?`,
    ),
    definitionsNamed: db.prepare<[string, number], DefinitionRow>(
      `SELECT ${DEFINITION} WHERE s.name = ? ORDER BY f.path, s.start_line LIMIT ?`,
    ),
    definitionsIn: db.prepare<[number], DefinitionRow>(
      `SELECT ${DEFINITION} WHERE s.file_id = ? ORDER BY s.start_line, s.end_line DESC`,
    ),
    file: db.prepare<[string], FileRef>('SELECT id, path, language, rank FROM files WHERE path = ?'),
    topRanked: db.prepare<[number], FileRef>(
      `SELECT id, path, language, rank FROM files WHERE state IN ('indexed', 'text-only') AND symbol_count > 0
       ORDER BY rank DESC, path LIMIT ?`,
    ),
    fileById: db.prepare<[number], FileRef>('SELECT id, path, language, rank FROM files WHERE id = ?'),
    usersOfName: db.prepare<[string], number>('SELECT count(*) FROM refs WHERE name = ?').pluck(),
    dependents: db.prepare<[number, number], LinkedFile>(
      `SELECT f.id, f.path, d.weight, d.names FROM file_deps d JOIN files f ON f.id = d.src
       WHERE d.dst = ? ORDER BY d.weight DESC, f.path LIMIT ?`,
    ),
    dependencies: db.prepare<[number, number], LinkedFile>(
      `SELECT f.id, f.path, d.weight, d.names FROM file_deps d JOIN files f ON f.id = d.dst
       WHERE d.src = ? ORDER BY d.weight DESC, f.path LIMIT ?`,
    ),
    importsOf: db.prepare<[number], { source: string; line: number }>(
      'SELECT source, line FROM imports WHERE file_id = ? ORDER BY seq',
    ),
    resolvedImports: db.prepare<[number], { id: number; path: string }>(
      'SELECT f.id, f.path FROM file_imports i JOIN files f ON f.id = i.dst WHERE i.src = ? ORDER BY f.path',
    ),
    refsOf: db.prepare<[number], { name: string; uses: number }>(
      `SELECT name, length(lines) - length(replace(lines, ',', '')) + 1 AS uses FROM refs WHERE file_id = ?
       ORDER BY uses DESC, name`,
    ),
    refLines: db
      .prepare<[number, string], string>(
        'SELECT lines FROM refs WHERE file_id = ? AND name = ? ORDER BY kind',
      )
      .pluck(),
    definingChunk: db.prepare<[number, number, number], ChunkRow>(
      `SELECT f.path, c.start_line AS startLine, c.end_line AS endLine, c.kind, c.symbol, c.text
       FROM chunks c JOIN files f ON f.id = c.file_id
       WHERE c.file_id = ? AND c.start_line <= ? AND c.end_line >= ? ORDER BY c.start_line LIMIT 1`,
    ),
  };
  return {
    refsNamed: (name: string, limit: number) => s.refsNamed.all(name, limit),
    definitionsNamed: (name: string, limit: number) => s.definitionsNamed.all(name, limit),
    definitionsIn: (fileId: number) => s.definitionsIn.all(fileId),
    file: (path: string) => s.file.get(path),
    fileById: (id: number) => s.fileById.get(id),
    topRanked: (limit: number) => s.topRanked.all(limit),
    /** How many files refer to `name` (one refs row per file and kind). */
    usersOfName: (name: string) => s.usersOfName.get(name) ?? 0,
    dependents: (fileId: number, limit: number) => s.dependents.all(fileId, limit),
    dependencies: (fileId: number, limit: number) => s.dependencies.all(fileId, limit),
    importsOf: (fileId: number) => s.importsOf.all(fileId),
    resolvedImports: (fileId: number) => s.resolvedImports.all(fileId),
    refsOf: (fileId: number) => s.refsOf.all(fileId),
    /** Lines where file `fileId` refers to `name` (all kinds), ascending. */
    refLines: (fileId: number, name: string): number[] =>
      s.refLines
        .all(fileId, name)
        .flatMap((lines) => lines.split(',').map(Number))
        .sort((a, b) => a - b),
    /** The chunk of `fileId` that holds `line`, the first one when chunks overlap. */
    chunkAt: (fileId: number, line: number) => s.definingChunk.get(fileId, line, line),
  };
}

export type GraphQueries = ReturnType<typeof createGraphQueries>;
