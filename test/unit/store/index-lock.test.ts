import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroveError } from '../../../src/errors.js';
import { acquireIndexLock, type LockOwner, readLockOwner } from '../../../src/store/index-lock.js';
import { makeTempDir, type TempDir } from './store-fixtures.js';

// The fixture imports the compiled module: run `npm run build` (npm test does) before these tests.
const HOLDER = fileURLToPath(new URL('../../fixtures/hold-lock.mjs', import.meta.url));
const DIST_LOCK = fileURLToPath(new URL('../../../dist/store/index-lock.js', import.meta.url));
/** Far enough ahead that every racer has started node and imported the module before the shared start. */
const RACE_START_DELAY_MS = 1_500;
/** A naive unlink-then-create recovery lets two racers win in roughly a third of rounds; 4 x 4 catches it. */
const RACE_ROUNDS = 4;
const RACERS = 4;

interface HolderResult {
  acquired: boolean;
  pid?: number;
  code?: string;
  message?: string;
}

const children: ChildProcess[] = [];

/** Starts a process that takes the lock and holds it until its stdin closes. */
function spawnHolder(
  dbPath: string,
  startAt?: number,
): { child: ChildProcess; result: Promise<HolderResult> } {
  const args = [HOLDER, dbPath, ...(startAt === undefined ? [] : [String(startAt)])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const result = new Promise<HolderResult>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as HolderResult);
    });
    child.on('exit', (code) => reject(new Error(`holder exited (${code}) before reporting`)));
  });
  return { child, result };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function groveError(promise: Promise<unknown>): Promise<GroveError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GroveError);
  return error as GroveError;
}

/** A pid that surely belongs to no process now: one that just exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('could not spawn node');
  return pid;
}

function writeOwner(lockPath: string, owner: Partial<LockOwner> & { token?: string }): void {
  const base = { pid: deadPid(), hostname: hostname(), startedAt: new Date().toISOString(), command: 'old' };
  writeFileSync(lockPath, JSON.stringify({ ...base, token: 'theirs', ...owner }));
}

describe('acquireIndexLock', () => {
  let tmp: TempDir;
  let lockPath: string;
  beforeEach(() => {
    tmp = makeTempDir();
    lockPath = `${tmp.dbPath}.lock`;
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    tmp.cleanup();
  });

  it('takes the lock, records the owner, and releases idempotently', async () => {
    const lock = await acquireIndexLock(tmp.dbPath, { command: 'grove index --full' });
    expect(lock.path).toBe(lockPath);
    expect(readLockOwner(tmp.dbPath)).toMatchObject({ pid: process.pid, command: 'grove index --full' });
    expect(readdirSync(tmp.dir)).toEqual(['index.db.lock']); // no temp file left behind
    lock.release();
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
    expect(readLockOwner(tmp.dbPath)).toBeNull();
  });

  it('refuses a second acquire at once, naming the lock, pid, command and time', async () => {
    const lock = await acquireIndexLock(tmp.dbPath, { command: 'grove index' });
    const error = await groveError(acquireIndexLock(tmp.dbPath));
    expect(error.code).toBe('INDEX_LOCKED');
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(lockPath);
    expect(error.message).toContain('`grove index`');
    expect(error.details).toMatchObject({ pid: process.pid, lock: lockPath });
    lock.release();
  });

  it('waits for a holder that releases within waitMs', async () => {
    const first = await acquireIndexLock(tmp.dbPath);
    let released = false;
    setTimeout(() => {
      released = true;
      first.release();
    }, 300);
    const second = await acquireIndexLock(tmp.dbPath, { waitMs: 10_000 });
    expect(released).toBe(true);
    expect(readLockOwner(tmp.dbPath)?.pid).toBe(process.pid);
    second.release();
  });

  it('gives up with INDEX_LOCKED when waitMs runs out', async () => {
    const lock = await acquireIndexLock(tmp.dbPath);
    expect((await groveError(acquireIndexLock(tmp.dbPath, { waitMs: 250 }))).code).toBe('INDEX_LOCKED');
    lock.release();
  });

  it('stops waiting with ABORTED when the signal fires, or at once if already aborted', async () => {
    const lock = await acquireIndexLock(tmp.dbPath);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const waiting = acquireIndexLock(tmp.dbPath, { waitMs: 60_000, signal: controller.signal });
    expect((await groveError(waiting)).code).toBe('ABORTED');
    const pre = acquireIndexLock(tmp.dbPath, { waitMs: 60_000, signal: AbortSignal.abort() });
    expect((await groveError(pre)).code).toBe('ABORTED');
    lock.release();
  });

  it('never deletes a lock that is no longer ours', async () => {
    const first = await acquireIndexLock(tmp.dbPath);
    first.release();
    const second = await acquireIndexLock(tmp.dbPath);
    first.release(); // a late second call must not remove the new holder's file
    expect(existsSync(lockPath)).toBe(true);

    writeOwner(lockPath, { pid: process.pid, token: 'someone-else' }); // as if taken over under us
    second.release();
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ token: 'someone-else' });
  });
});

describe('acquireIndexLock across processes', () => {
  let tmp: TempDir;
  let lockPath: string;
  beforeEach(() => {
    tmp = makeTempDir();
    lockPath = `${tmp.dbPath}.lock`;
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    tmp.cleanup();
  });

  it('refuses while a live process holds the lock, and gets it once that process releases', async () => {
    const holder = spawnHolder(tmp.dbPath);
    const held = await holder.result;
    expect(held).toMatchObject({ acquired: true });
    const error = await groveError(acquireIndexLock(tmp.dbPath));
    expect(error.code).toBe('INDEX_LOCKED');
    expect(error.message).toContain(`pid ${held.pid}`);
    expect(error.message).toContain('hold-lock fixture');
    expect(readLockOwner(tmp.dbPath)?.pid).toBe(held.pid);

    holder.child.stdin?.end(); // the holder releases and exits
    const lock = await acquireIndexLock(tmp.dbPath, { waitMs: 10_000 });
    expect(readLockOwner(tmp.dbPath)?.pid).toBe(process.pid);
    lock.release();
  });

  it('recovers the lock of a SIGKILLed holder', async () => {
    const holder = spawnHolder(tmp.dbPath);
    expect(await holder.result).toMatchObject({ acquired: true });
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    expect(existsSync(lockPath)).toBe(true); // SIGKILL skips every exit handler
    expect(readLockOwner(tmp.dbPath)).toBeNull(); // a dead holder holds nothing

    const lock = await acquireIndexLock(tmp.dbPath);
    expect(readLockOwner(tmp.dbPath)?.pid).toBe(process.pid);
    expect(readdirSync(tmp.dir)).toEqual(['index.db.lock']); // the stale file moved aside was deleted
    lock.release();
  });

  it('releases on exit after an uncaught exception', async () => {
    const script = `import { acquireIndexLock } from ${JSON.stringify(DIST_LOCK)};
      await acquireIndexLock(process.argv[1]); throw new Error('boom');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, tmp.dbPath]);
    expect(run.status).toBe(1);
    expect(run.stderr.toString()).toContain('boom');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('exactly one of several processes recovering the same stale lock at once wins', async () => {
    for (let round = 0; round < RACE_ROUNDS; round++) {
      writeOwner(lockPath, {});
      const startAt = Date.now() + RACE_START_DELAY_MS;
      const racers = Array.from({ length: RACERS }, () => spawnHolder(tmp.dbPath, startAt));
      const results = await Promise.all(racers.map((r) => r.result));
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((r) => !r.acquired)) {
        expect(loser.code).toBe('INDEX_LOCKED');
        expect(loser.message).toContain(`pid ${winners[0]?.pid}`);
      }
      expect(readLockOwner(tmp.dbPath)?.pid).toBe(winners[0]?.pid);
      for (const { child } of racers) child.kill('SIGKILL');
      await Promise.all(racers.map((r) => exited(r.child)));
    }
  });
});

describe('stale lock files', () => {
  let tmp: TempDir;
  let lockPath: string;
  beforeEach(() => {
    tmp = makeTempDir();
    lockPath = `${tmp.dbPath}.lock`;
  });
  afterEach(() => tmp.cleanup());

  it('recovers a lock whose pid no longer exists', async () => {
    writeOwner(lockPath, {});
    const lock = await acquireIndexLock(tmp.dbPath);
    expect(readLockOwner(tmp.dbPath)?.pid).toBe(process.pid);
    lock.release();
  });

  it.runIf(existsSync('/proc/self/stat'))(
    'recovers a lock whose pid was reused by another process',
    async () => {
      writeOwner(lockPath, { pid: process.pid, procStart: 1 }); // alive pid, but a different start time
      const lock = await acquireIndexLock(tmp.dbPath);
      expect(readLockOwner(tmp.dbPath)?.procStart).not.toBe(1);
      lock.release();
    },
  );

  it('never takes over a lock from another host, which it cannot check', async () => {
    writeOwner(lockPath, { hostname: 'elsewhere.example' });
    const error = await groveError(acquireIndexLock(tmp.dbPath));
    expect(error.code).toBe('INDEX_LOCKED');
    expect(error.message).toContain('elsewhere.example');
  });

  it('recovers an unparsable lock file once it is old, but not while it is fresh', async () => {
    writeFileSync(lockPath, '{"pid": 12');
    const fresh = await groveError(acquireIndexLock(tmp.dbPath));
    expect(fresh.code).toBe('INDEX_LOCKED');
    expect(fresh.message).toContain(lockPath);

    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPath, minuteAgo, minuteAgo);
    const lock = await acquireIndexLock(tmp.dbPath);
    expect(readLockOwner(tmp.dbPath)?.pid).toBe(process.pid);
    lock.release();
  });

  it('lets exactly one of two in-process recoverers win', async () => {
    writeOwner(lockPath, {});
    const results = await Promise.allSettled([acquireIndexLock(tmp.dbPath), acquireIndexLock(tmp.dbPath)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(GroveError);
    expect(lost?.reason).toMatchObject({ code: 'INDEX_LOCKED' });
    for (const r of won) r.value.release();
  });
});
