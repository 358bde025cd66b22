/**
 * Eviction with a real daemon: under a memory limit it cannot meet, each newly loaded project evicts
 * the least recently used ones; idle projects are evicted after the idle time; an evicted project
 * reloads transparently on its next request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, eventually, startDaemon } from '../helpers/daemon-process.js';
import { runGrove } from '../helpers/run-grove.js';
import { writeSampleRepo } from '../helpers/sample-repo.js';

let dir: string;
const repos: string[] = [];
let daemon: DaemonProcess | null = null;

interface DaemonStatus {
  projects: Array<{ root: string }>;
  loads: number;
  evictions: number;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grove-evict-'));
  for (const name of ['alpha', 'beta', 'gamma']) {
    const repo = join(dir, name);
    writeSampleRepo(repo);
    expect((await runGrove(['index', repo])).code).toBe(0);
    repos.push(repo);
  }
});

afterEach(async () => {
  await daemon?.kill('SIGTERM');
  daemon = null;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const status = async () => (await daemon!.call('status')) as DaemonStatus;
const symbols = (root: string) => daemon!.call('symbols', { root, name: 'start_http_server' });

describe('project eviction', () => {
  it('keeps only the most recent project under a memory limit below the daemon baseline', async () => {
    daemon = await startDaemon(['--socket', join(dir, 'small.sock'), '--max-memory', '16M', '--no-watch']);
    for (const repo of repos) await symbols(repo);
    let now = await status();
    expect(now.projects.map((project) => project.root)).toEqual([repos[2]]);
    expect(now.evictions).toBe(2);
    // The evicted first project answers again, the same answer, by loading again.
    expect(await symbols(repos[0]!)).toEqual(await symbols(repos[0]!));
    now = await status();
    expect(now.loads).toBe(4);
    expect(now.projects.map((project) => project.root)).toEqual([repos[0]]);
  });

  it('keeps every project under a roomy limit and evicts them once idle', async () => {
    daemon = await startDaemon(['--socket', join(dir, 'idle.sock'), '--idle-evict', '0.5', '--no-watch']);
    for (const repo of repos) await symbols(repo);
    expect((await status()).projects).toHaveLength(3);
    await eventually(async () => (await status()).projects.length === 0);
    expect((await status()).evictions).toBe(3);
    await symbols(repos[1]!);
    expect((await status()).projects.map((project) => project.root)).toEqual([repos[1]]);
  });
});
