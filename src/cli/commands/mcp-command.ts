/**
 * `grove mcp`: an MCP server on stdio. Queries go to the daemon when one runs, else to the index opened
 * in this process. Tool calls that name no root address `--root`, `--index`, or the index found from
 * the working directory. stdout belongs to the protocol: nothing else is printed there.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { openQueryBackend } from '../../server/query-backend.js';
import { createMcpServer, type McpDefaults } from '../../server/transports/mcp-server.js';
import type { CommandIo } from '../command-io.js';
import { locateIndexDir } from '../locate-index.js';

const VERSION = '0.1.0';

export async function runMcpCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { socket: { type: 'string' }, root: { type: 'string' }, index: { type: 'string' } },
  });
  const defaults: McpDefaults = {};
  if (values.root !== undefined) defaults.root = resolve(io.cwd, values.root);
  if (values.index !== undefined || values.root === undefined) {
    try {
      defaults.index = locateIndexDir(io.cwd, values.index);
    } catch {
      // No index here: every tool call must then name its root.
    }
  }
  const backend = await openQueryBackend(values.socket);
  const server = createMcpServer(backend, defaults, VERSION);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolveClosed) => {
    transport.onclose = () => resolveClosed();
    process.stdin.once('end', () => resolveClosed());
  });
  await server.connect(transport);
  io.err(
    `grove mcp: serving on stdio (${backend.kind === 'daemon' ? 'through the daemon' : 'in-process'})\n`,
  );
  await closed;
  await server.close();
  await backend.close();
  return 0;
}
