/**
 * The Model Context Protocol server (`grove mcp`, stdio, the official SDK): grove's queries as tools for
 * AI agents. Inputs are validated by their zod schemas (the SDK refuses a bad call before it reaches
 * us); every result carries freshness; errors come back as tool errors naming the grove code.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { toGroveError } from '../../errors.js';
import type { QueryBackend } from '../query-backend.js';

/** The project a tool call addresses when it names no root: `grove mcp --root/--index`, or the cwd's index. */
export interface McpDefaults {
  root?: string;
  index?: string;
}

type ToolResult = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

const root = z
  .string()
  .min(1)
  .optional()
  .describe('Absolute path of the repository root (default: the project grove mcp was started for)');

export function createMcpServer(backend: QueryBackend, defaults: McpDefaults, version: string): McpServer {
  const server = new McpServer({ name: 'grove', version });
  const target = (given: string | undefined) => (given !== undefined ? { root: given } : { ...defaults });
  const run = async (method: string, params: Record<string, unknown>): Promise<ToolResult> => {
    try {
      const result = await backend.call(method, params);
      return { content: [{ type: 'text', text: JSON.stringify(result) }] };
    } catch (error) {
      const grove = toGroveError(error);
      return {
        content: [{ type: 'text', text: `${grove.code}: ${grove.message} (${grove.hint})` }],
        isError: true,
      };
    }
  };

  server.registerTool(
    'search_code',
    {
      description:
        'Ranked code chunks (BM25 over code-aware terms, boosted by symbol names) with path, lines, symbol and snippet.',
      inputSchema: {
        query: z.string().min(1).describe('Free text, identifiers or phrases'),
        limit: z.number().int().min(1).max(100).optional().describe('Results (default 10)'),
        language: z.string().optional().describe('Only this language, e.g. c, python, typescript'),
        path: z.string().optional().describe('Only paths matching this glob, e.g. src/**'),
        root,
      },
    },
    ({ root: given, ...params }) => run('search', { ...params, ...target(given) }),
  );
  server.registerTool(
    'find_symbol',
    {
      description:
        'Definitions of a symbol by exact name or * / ? pattern: kind, path, line range, signature.',
      inputSchema: {
        name: z.string().min(1).describe('Symbol name or pattern, e.g. kmalloc or parse_*'),
        kind: z.string().optional().describe('Only this kind, e.g. function, struct, class'),
        limit: z.number().int().min(1).max(1000).optional(),
        root,
      },
    },
    ({ root: given, ...params }) => run('symbols', { ...params, ...target(given) }),
  );
  server.registerTool(
    'find_references',
    {
      description: 'Uses of a name (calls, type uses), each resolved to the definition it most likely means.',
      inputSchema: {
        name: z.string().min(1).describe('The referenced name, e.g. kmalloc'),
        kind: z.string().optional().describe('Only this kind of use: call or type'),
        limit: z.number().int().min(1).max(1000).optional().describe('Results (default 100)'),
        root,
      },
    },
    ({ root: given, ...params }) => run('refs', { ...params, ...target(given) }),
  );
  server.registerTool(
    'repo_map',
    {
      description:
        'The repository map to read first: files ranked by PageRank over the reference graph with their main definitions, fitted to a token budget.',
      inputSchema: {
        tokens: z.number().int().min(64).max(100_000).optional().describe('Token budget (default 1024)'),
        focus: z
          .array(z.string().min(1))
          .max(100)
          .optional()
          .describe('Root-relative paths to rank the map around'),
        root,
      },
    },
    ({ root: given, ...params }) => run('map', { ...params, ...target(given) }),
  );
  server.registerTool(
    'file_context',
    {
      description:
        'What one needs to work on a file: its definitions, its imports, the files that depend on it and the most related code elsewhere.',
      inputSchema: {
        path: z.string().min(1).describe('Root-relative path of the file'),
        line: z.number().int().min(1).optional().describe('A line to focus on (its enclosing definition)'),
        tokens: z.number().int().min(64).max(100_000).optional().describe('Token budget (default 2048)'),
        root,
      },
    },
    ({ root: given, ...params }) => run('context', { ...params, ...target(given) }),
  );
  server.registerTool(
    'index_status',
    {
      description:
        'Index health and freshness: files by state, symbols, chunks, commit, files changed since.',
      inputSchema: { root },
    },
    ({ root: given }) => run('status', target(given)),
  );
  server.registerTool(
    'refresh_index',
    {
      description:
        'Brings the index up to date (incremental), or only the given paths; returns the run summary.',
      inputSchema: {
        paths: z.array(z.string().min(1)).max(10_000).optional().describe('Only these root-relative paths'),
        root,
      },
    },
    async ({ root: given, paths }) => {
      const summary = await run('index', { ...target(given), ...(paths ? { paths } : {}) });
      if (summary.isError) return summary;
      const status = (await backend.call('status', target(given))) as { freshness: unknown };
      const text = JSON.stringify({
        summary: JSON.parse(summary.content[0]!.text),
        freshness: status.freshness,
      });
      return { content: [{ type: 'text', text }] };
    },
  );
  return server;
}
