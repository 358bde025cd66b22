/**
 * Renders a file's context as text within a token budget, most important first: the file and its
 * definitions, imports, the files it uses and that use it, then related chunks while they fit. A chunk
 * is shown with line numbers and cut to a few dozen lines, so one huge function cannot eat the budget.
 */
import type { FileContext, RelatedChunk } from './file-context.js';
import type { TokenBudget } from './token-count.js';

/** Lines shown of one related chunk. */
const MAX_CHUNK_LINES = 40;

export function renderContext(context: FileContext, budget: TokenBudget): string {
  const out: string[] = [];
  const add = (text: string): boolean => {
    if (budget.take(text) === null) return false;
    out.push(text);
    return true;
  };
  const section = (title: string, lines: string[]): void => {
    if (lines.length === 0 || !add(`## ${title}\n`)) return;
    for (const line of lines) if (!add(`${line}\n`)) return;
  };
  const where = context.line === null ? '' : `:${context.line}`;
  if (!add(`# ${context.path}${where}${context.language ? ` (${context.language})` : ''}\n`)) return '';
  section(
    'definitions',
    context.symbols.map(
      (s) => `${s.enclosing ? '*' : ' '} ${s.line}-${s.endLine} ${s.signature || `${s.kind} ${s.name}`}`,
    ),
  );
  section(
    'imports',
    context.imports.map((i) => `  ${i.line}: ${i.source}`),
  );
  section(
    'uses',
    context.dependencies.map((f) => `  ${f.path} (${f.names} names)`),
  );
  section(
    'used by',
    context.dependents.map((f) => `  ${f.path} (${f.names} names)`),
  );
  if (context.related.length > 0 && add('## related\n')) {
    for (const chunk of context.related) add(renderChunk(chunk));
  }
  return out.join('');
}

function renderChunk(chunk: RelatedChunk): string {
  const lines = chunk.text.split('\n');
  const shown = lines.slice(0, MAX_CHUNK_LINES);
  const width = String(chunk.startLine + shown.length).length;
  const body = shown.map((line, i) => `${String(chunk.startLine + i).padStart(width)}  ${line}`).join('\n');
  const more = lines.length > shown.length ? `\n  ... ${lines.length - shown.length} more lines` : '';
  return `### ${chunk.path}:${chunk.startLine}-${chunk.endLine} (${chunk.reason})\n${body}${more}\n`;
}
