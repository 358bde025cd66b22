/**
 * One combined query per language, run once per file: a single pass of the query cursor measured
 * faster than several queries or a JS tree walk (see bench/parse-floor.ts).
 */
import type { LanguageId } from '../../model.js';
import { C_QUERY } from './c.js';
import { CPP_QUERY } from './cpp.js';
import { GO_QUERY } from './go.js';
import { JAVA_QUERY } from './java.js';
import { JAVASCRIPT_QUERY } from './javascript.js';
import { PYTHON_QUERY } from './python.js';
import { RUST_QUERY } from './rust.js';
import { TSX_QUERY, TYPESCRIPT_QUERY } from './typescript.js';

export const QUERIES: Readonly<Record<LanguageId, string>> = {
  c: C_QUERY,
  cpp: CPP_QUERY,
  python: PYTHON_QUERY,
  javascript: JAVASCRIPT_QUERY,
  typescript: TYPESCRIPT_QUERY,
  tsx: TSX_QUERY,
  go: GO_QUERY,
  rust: RUST_QUERY,
  java: JAVA_QUERY,
};
