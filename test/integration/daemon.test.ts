/**
 * The daemon as a real process: socket and HTTP round trips, answers identical to the CLI's, malformed
 * and oversized input, paths outside the root, the lock, a stale socket, SIGTERM, stop and detach.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, eventually, isAlive, startDaemon } from '../helpers/daemon-process.js';
import { rawExchange } from '../helpers/raw-rpc.js';
import { runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;
let repo: string;
const running: DaemonProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-daemon-'));
  repo = join(dir, 'repo');
  writeSampleRepo(repo);
  const indexed = await runGrove(['index', repo, '--json']);
  expect(indexed.code).toBe(0);
});

afterEach(async () => {
  for (const daemon of running.splice(0)) if (daemon.child.exitCode === null) await daemon.kill('SIGKILL');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function daemon(name: string, args: string[] = []): Promise<DaemonProcess> {
  const started = await startDaemon(['--socket', join(dir, `${name}.sock`), ...args]);
  running.push(started);
  return started;
}

describe('grove serve over its socket', () => {
  it('answers every query method exactly as the CLI does without a daemon', async () => {
    const d = await daemon('roundtrip');
    expect(statSync(d.info.socket).mode & 0o777).toBe(0o600);
    expect(await d.call('ping')).toBe('pong');
    // The first search is answered on the main thread while a query thread starts; once one answered,
    // the searches, refs, maps and contexts below all go to the query threads.
    type Threads = { answered: number; declined: number };
    const threads = async () => ((await d.call('status')) as { queryThreads: Threads }).queryThreads;
    let asked = 0; // a new question each time: a repeated one is answered from the kept answers
    await eventually(async () => {
      await d.call('search', { root: repo, query: `route ${asked++}` });
      return (await threads()).answered > 0;
    });
    const warm = await threads();
    const direct = { GROVE_SOCKET: join(dir, 'nobody.sock') };
    const viaDaemon = { GROVE_SOCKET: d.info.socket };
    for (const args of [
      ['search', 'route request', '--json'],
      ['status', '--json'],
      ['symbols', 'start_http_server', '--json'],
      ['symbols', '--refs', 'route_request', '--json'],
      ['map', '--tokens', '300', '--json'],
      ['context', 'src/server/http_server.c:12', '--json'],
    ]) {
      const alone = await runGrove(args, { cwd: repo, env: direct });
      const served = await runGrove(args, { cwd: repo, env: viaDaemon });
      expect(alone.code, alone.stderr).toBe(0);
      expect(served.code, served.stderr).toBe(0);
      expect(JSON.parse(served.stdout)).toEqual(JSON.parse(alone.stdout));
    }
    expect(await threads()).toMatchObject({ answered: warm.answered + 4, declined: warm.declined });
    const symbols = (await d.call('symbols', { root: repo, name: 'start_http_server' })) as {
      results: Array<{ path: string; kind: string }>;
      freshness: { dirtyFiles: number };
    };
    expect(symbols.results).toEqual([
      expect.objectContaining({ path: 'src/server/http_server.c', kind: 'function' }),
    ]);
    expect(symbols.freshness.dirtyFiles).toBe(0);
    const status = (await d.call('status')) as {
      projects: unknown[];
      latency: Record<string, { count: number }>;
    };
    expect(status.projects).toHaveLength(1);
    expect(status.latency.symbols?.count).toBe(2);
    expect(status.latency.search?.count).toBe(asked + 1);
    expect(Object.keys(status.latency)).toEqual(expect.arrayContaining(['search', 'refs', 'map', 'context']));
  });

  it('answers malformed, oversized and invalid requests with coded errors and keeps serving', async () => {
    const d = await daemon('malformed');
    const ping = `${JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' })}\n`;
    const huge = `{"jsonrpc":"2.0","id":1,"method":"search","params":{"query":"${'x'.repeat(2 * 1024 * 1024)}"}}\n`;
    const answers = (await rawExchange(
      d.info.socket,
      [
        'not json\n',
        '[1]\n',
        '{"jsonrpc":"2.0","id":2}\n',
        '{"jsonrpc":"2.0","id":3,"method":"frobnicate"}\n',
        `{"jsonrpc":"2.0","id":4,"method":"search","params":{"root":"${repo}","query":7}}\n`,
        `{"jsonrpc":"2.0","id":5,"method":"search","params":{"root":"relative/path","query":"x"}}\n`,
        `{"jsonrpc":"2.0","id":6,"method":"index","params":{"root":"${repo}","paths":["../../etc/passwd"]}}\n`,
        `{"jsonrpc":"2.0","id":7,"method":"context","params":{"root":"${repo}","path":"/etc/passwd"}}\n`,
        huge,
        ping,
      ].join(''),
      10,
    )) as Array<{ id: unknown; result?: unknown; error?: { data: { code: string } } }>;
    // Answers come in completion order: match them to requests by id (null: the request had none).
    const byId = new Map<unknown, string[]>();
    for (const answer of answers) {
      const list = byId.get(answer.id) ?? [];
      list.push(String(answer.error?.data.code ?? answer.result));
      byId.set(answer.id, list);
    }
    expect(byId.get(null)?.sort()).toEqual(['REQUEST_INVALID', 'REQUEST_INVALID', 'REQUEST_INVALID']);
    expect(byId.get(2)).toEqual(['REQUEST_INVALID']);
    expect(byId.get(3)).toEqual(['METHOD_NOT_FOUND']);
    expect(byId.get(4)).toEqual(['REQUEST_INVALID']);
    expect(byId.get(5)).toEqual(['REQUEST_INVALID']);
    expect(byId.get(6)).toEqual(['PATH_OUTSIDE_ROOT']);
    expect(byId.get(7)).toEqual(['PATH_OUTSIDE_ROOT']);
    expect(byId.get(9)).toEqual(['pong']);
    // A batch is answered with one line holding an array of answers.
    const [batch]: unknown[] = await rawExchange(d.info.socket, `[${ping.trim()},${ping.trim()}]\n`, 1);
    expect(batch).toHaveLength(2);
    expect(await d.call('ping')).toBe('pong');
  });

  it('serves health, indexing health, metrics and RPC on loopback HTTP behind a token', async () => {
    const d = await daemon('http', ['--http', '0', '--token', 'sesame']);
    await d.call('search', { root: repo, query: 'report writer' });
    const base = `http://127.0.0.1:${d.info.http}`;
    const auth = { authorization: 'Bearer sesame' };
    expect((await fetch(`${base}/health`)).status).toBe(401);
    expect((await fetch(`${base}/health`, { headers: { authorization: 'Bearer wrong!' } })).status).toBe(401);
    expect(await (await fetch(`${base}/health`, { headers: auth })).json()).toMatchObject({ status: 'ok' });
    const indexing = (await (await fetch(`${base}/health/indexing`, { headers: auth })).json()) as {
      projects: Array<Record<string, unknown>>;
    };
    expect(indexing.projects[0]).toMatchObject({
      root: repo,
      state: 'idle',
      pressure: 'normal',
      queueDepth: 0,
    });
    expect(indexing.projects[0]).toHaveProperty('filesPerSec');
    const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/grove_request_duration_seconds_bucket\{le="[0-9.]+",method="search"\}/);
    expect(metrics).toMatch(/grove_request_latency_seconds\{quantile="0.99",method="search"\}/);
    const rpc = await fetch(`${base}/rpc`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(await rpc.json()).toEqual({ jsonrpc: '2.0', id: 1, result: 'pong' });
    expect(readFileSync(d.info.tokenFile!, 'utf8').trim()).toBe('sesame');
    // Listening sockets of the port, from the kernel: only 127.0.0.1 (0100007F), never 0.0.0.0.
    const port = d.info.http!.toString(16).toUpperCase().padStart(4, '0');
    const listeners = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${port}`) && fields[3] === '0A');
    expect(listeners.map((fields) => fields[1])).toEqual([`0100007F:${port}`]);
    expect(statSync(d.info.tokenFile!).mode & 0o777).toBe(0o600);
  });
});

describe('daemon lifecycle', () => {
  it('refuses a second daemon on the same socket', async () => {
    const first = await daemon('lock');
    const second = await runGrove(['serve', '--socket', first.info.socket]);
    expect(second.code).toBe(8);
    expect(second.stderr).toContain('DAEMON_RUNNING');
    expect(await first.call('ping')).toBe('pong');
  });

  it('recovers the socket and lock of a daemon that was killed', async () => {
    const crashed = await daemon('stale');
    await crashed.call('ping');
    await crashed.kill('SIGKILL');
    expect(existsSync(crashed.info.socket)).toBe(true);
    expect(existsSync(`${crashed.info.socket}.lock`)).toBe(true);
    const next = await daemon('stale');
    expect(await next.call('symbols', { root: repo, name: 'main' })).toHaveProperty('results');
  });

  it('drains and removes its socket and lock on SIGTERM', async () => {
    const d = await daemon('sigterm');
    const connection = await d.client();
    const pending = connection.call('index', { root: repo });
    // Frames of one connection are read in order: once the ping is answered, the index run is in flight
    // (a fixed delay was not enough on a loaded machine: the signal came before the request was read).
    expect(await connection.call('ping')).toBe('pong');
    const code = await d.kill('SIGTERM');
    expect(code).toBe(0);
    // The index run that was in flight finished and answered before the daemon closed.
    await expect(pending).resolves.toHaveProperty('type', 'summary');
    expect(existsSync(d.info.socket)).toBe(false);
    expect(existsSync(`${d.info.socket}.lock`)).toBe(false);
    connection.close();
  });

  it('starts in the background with --detach and stops with grove stop', async () => {
    const socket = join(dir, 'detached.sock');
    const started = await runGrove(['serve', '--detach', '--socket', socket, '--no-watch']);
    expect(started.code).toBe(0);
    const { pid } = JSON.parse(started.stdout) as { pid: number };
    expect(existsSync(socket)).toBe(true);
    const stopped = await runGrove(['stop', '--socket', socket]);
    expect(stopped.code).toBe(0);
    expect(existsSync(socket)).toBe(false);
    await eventually(async () => !isAlive(pid));
    const again = await runGrove(['stop', '--socket', socket]);
    expect(again.code).toBe(8);
    expect(again.stderr).toContain('DAEMON_NOT_RUNNING');
  });
});
