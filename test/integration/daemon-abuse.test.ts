/**
 * The daemon under abuse: 100 clients at once for a bounded time, mixing valid queries with malformed
 * JSON, oversized frames, unknown methods, path escapes (`..`, absolute, a link out of the root) and
 * connections dropped mid-request. Every bad request gets a registry-coded error, every valid one an
 * answer, the daemon still answers ping afterwards, and its RSS stays bounded.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isErrorCode } from '../../src/errors.js';
import { type DaemonProcess, startDaemon } from '../helpers/daemon-process.js';
import { rssBytes } from '../helpers/proc-stats.js';
import { rawExchange, sendAndVanish } from '../helpers/raw-rpc.js';
import { runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';
import { seededRandom } from '../helpers/seeded-random.js';

const CLIENTS = 100;
const ABUSE_MS = 5_000;
/** A Node daemon with a small project loaded sits near 100 MiB; 100 clients must not double that. */
const RSS_BOUND = 300 * 1024 * 1024;

let dir: string;
let repo: string;
let daemon: DaemonProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-abuse-'));
  repo = join(dir, 'repo');
  writeSampleRepo(repo);
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret.txt'), 'not for the daemon\n');
  symlinkSync(join(dir, 'outside'), join(repo, 'escape-dir'));
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(repo, 'escape-file.txt'));
  expect((await runGrove(['index', repo])).code).toBe(0);
  daemon = await startDaemon(['--socket', join(dir, 'd.sock')]);
});

afterAll(async () => {
  await daemon.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const line = (id: number, method: string, params?: Record<string, unknown>) =>
  `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;

/** A bad request and the code its answer must carry. */
function badRequest(id: number, pick: number): { payload: string; code: string } {
  const choices = [
    { payload: '{"jsonrpc":"2.0","id":\n', code: 'REQUEST_INVALID' },
    {
      payload: `{"jsonrpc":"2.0","id":${id},"method":"search","params":{"query":"${'y'.repeat(1_200_000)}"}}\n`,
      code: 'REQUEST_INVALID',
    },
    { payload: line(id, 'drop_tables'), code: 'METHOD_NOT_FOUND' },
    { payload: line(id, 'context', { root: repo, path: '../../../etc/passwd' }), code: 'PATH_OUTSIDE_ROOT' },
    { payload: line(id, 'context', { root: repo, path: '/etc/passwd' }), code: 'PATH_OUTSIDE_ROOT' },
    { payload: line(id, 'context', { root: repo, path: 'escape-file.txt' }), code: 'PATH_OUTSIDE_ROOT' },
    {
      payload: line(id, 'context', { root: repo, path: 'escape-dir/secret.txt' }),
      code: 'PATH_OUTSIDE_ROOT',
    },
    {
      payload: line(id, 'index', { root: repo, paths: ['escape-dir/secret.txt'] }),
      code: 'PATH_OUTSIDE_ROOT',
    },
  ];
  return choices[pick % choices.length]!;
}

const VALID: Array<[string, Record<string, unknown>]> = [
  ['search', { query: 'route request' }],
  ['symbols', { name: 'start_http_server' }],
  ['refs', { name: 'route_request' }],
  ['context', { path: 'src/server/http_server.c', line: 12 }],
  ['ping', {}],
];

it('keeps answering 100 abusive clients with coded errors, bounded memory and a live ping', async () => {
  const socket = daemon.info.socket;
  expect(await daemon.call('ping')).toBe('pong');
  const deadline = Date.now() + ABUSE_MS;
  const tally = { valid: 0, bad: 0, vanished: 0 };
  const wrong: string[] = [];
  let peakRss = rssBytes(daemon.info.pid);

  const client = async (seed: number) => {
    const random = seededRandom(seed);
    for (let id = 1; Date.now() < deadline; id++) {
      const roll = random();
      if (roll < 0.4) {
        const [method, params] = VALID[Math.floor(random() * VALID.length)]!;
        const [answer] = await rawExchange(
          socket,
          line(id, method, method === 'ping' ? undefined : { root: repo, ...params }),
          1,
        );
        if (answer?.error) wrong.push(`${method} failed: ${JSON.stringify(answer.error)}`);
        tally.valid++;
      } else if (roll < 0.8) {
        const bad = badRequest(id, Math.floor(random() * 8));
        const [answer] = await rawExchange(socket, bad.payload, 1);
        const code = answer?.error?.data.code;
        if (!isErrorCode(code) || code !== bad.code)
          wrong.push(`wanted ${bad.code}, got ${JSON.stringify(answer)}`);
        tally.bad++;
      } else {
        // Half a frame, or a whole slow request, then the client is gone before the answer.
        const whole = line(id, 'map', { root: repo, tokens: 2000 });
        await sendAndVanish(socket, random() < 0.5 ? whole.slice(0, whole.length >> 1) : whole);
        tally.vanished++;
      }
    }
  };

  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssBytes(daemon.info.pid));
  }, 100);
  try {
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n + 1)));
  } finally {
    clearInterval(sampler);
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(tally.valid).toBeGreaterThan(CLIENTS);
  expect(tally.bad).toBeGreaterThan(CLIENTS);
  expect(tally.vanished).toBeGreaterThan(CLIENTS / 2);
  expect(await daemon.call('ping')).toBe('pong');
  expect(await daemon.call('symbols', { root: repo, name: 'start_http_server' })).toHaveProperty('results');
  expect(daemon.child.exitCode).toBeNull();
  expect(peakRss).toBeLessThan(RSS_BOUND);
});
