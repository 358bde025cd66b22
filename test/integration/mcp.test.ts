/**
 * `grove mcp` driven by the MCP SDK's own client over stdio, as an agent would: tools listed with their
 * schemas, results with freshness, invalid input refused, the same answers with and without a daemon.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, startDaemon } from '../helpers/daemon-process.js';
import { GROVE_BIN, runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;
let repo: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-mcp-'));
  repo = join(dir, 'repo');
  writeSampleRepo(repo);
  expect((await runGrove(['index', repo])).code).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function connectMcp(socket: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: GROVE_BIN,
    args: ['mcp'],
    cwd: repo,
    env: { ...(process.env as Record<string, string>), GROVE_SOCKET: socket },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'grove-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

type ToolAnswer = { content: Array<{ type: string; text: string }>; isError?: boolean };

async function callJson(client: Client, name: string, args: Record<string, unknown>) {
  const answer = (await client.callTool({ name, arguments: args })) as ToolAnswer;
  expect(answer.isError ?? false).toBe(false);
  return JSON.parse(answer.content[0]!.text) as Record<string, unknown> & {
    freshness: { dirtyFiles: number };
  };
}

describe('grove mcp over stdio', () => {
  it('lists its tools and answers them in-process, with freshness', async () => {
    const client = await connectMcp(join(dir, 'no-daemon.sock'));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        [
          'file_context',
          'find_references',
          'find_symbol',
          'index_status',
          'refresh_index',
          'repo_map',
          'search_code',
        ].sort(),
      );
      const search = tools.find((tool) => tool.name === 'search_code')!;
      expect(search.inputSchema.required).toEqual(['query']);

      const found = await callJson(client, 'search_code', { query: 'weekly usage report', limit: 3 });
      expect((found.results as Array<{ path: string }>)[0]?.path).toBe('tools/report.py');
      expect(found.freshness).toMatchObject({ dirtyFiles: 0 });
      const symbol = await callJson(client, 'find_symbol', { name: 'ReportWriter' });
      expect(symbol.results).toEqual([expect.objectContaining({ path: 'tools/report.py', kind: 'class' })]);
      const refs = await callJson(client, 'find_references', { name: 'route_request' });
      expect(refs.results).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'src/server/http_server.c' })]),
      );
      const map = await callJson(client, 'repo_map', { tokens: 400 });
      expect(map.text).toContain('src/server/http_server.c');
      const context = await callJson(client, 'file_context', { path: 'tools/report.py' });
      expect(context.text).toContain('ReportWriter');
      const status = await callJson(client, 'index_status', {});
      expect(status).toHaveProperty('files.indexed');

      writeFileSync(join(repo, 'web/fresh.ts'), 'export const freshlyWritten = true;\n');
      const refreshed = await callJson(client, 'refresh_index', { paths: ['web/fresh.ts'] });
      expect(refreshed).toMatchObject({ summary: { type: 'summary', run: { filesWritten: 1 } } });
      expect((await callJson(client, 'find_symbol', { name: 'freshlyWritten' })).results).toHaveLength(1);

      const invalid = (await client.callTool({
        name: 'search_code',
        arguments: { limit: 'many' },
      })) as ToolAnswer;
      expect(invalid.isError).toBe(true);
      expect(invalid.content[0]!.text).toMatch(/query|limit/);
      const outside = (await client.callTool({
        name: 'refresh_index',
        arguments: { paths: ['../../etc/passwd'] },
      })) as ToolAnswer;
      expect(outside.isError).toBe(true);
      expect(outside.content[0]!.text).toContain('PATH_OUTSIDE_ROOT');
      const climbing = (await client.callTool({
        name: 'file_context',
        arguments: { path: '../../../etc/passwd' },
      })) as ToolAnswer;
      expect(climbing.content[0]!.text).toContain('PATH_OUTSIDE_ROOT');
    } finally {
      await client.close();
    }
  });

  it('gives the same answers through a running daemon', async () => {
    const alone = await connectMcp(join(dir, 'no-daemon.sock'));
    const daemon: DaemonProcess = await startDaemon(['--socket', join(dir, 'mcp.sock'), '--no-watch']);
    const served = await connectMcp(daemon.info.socket);
    try {
      for (const [tool, args] of [
        ['search_code', { query: 'route request' }],
        ['find_symbol', { name: 'fetchJson' }],
        ['find_references', { name: 'fetchJson' }],
        ['repo_map', { tokens: 300 }],
        ['file_context', { path: 'web/userProfile.ts' }],
      ] as const) {
        expect(await callJson(served, tool, args)).toEqual(await callJson(alone, tool, args));
      }
      const daemonStatus = (await daemon.call('status')) as { latency: Record<string, unknown> };
      expect(Object.keys(daemonStatus.latency)).toEqual(expect.arrayContaining(['search', 'symbols']));
    } finally {
      await served.close();
      await alone.close();
      await daemon.kill('SIGTERM');
    }
  });
});
