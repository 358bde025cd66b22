/**
 * The exclusive write lock of an index: a `${dbPath}.lock` file holding its owner as JSON. SQLite's
 * own locks only guard single transactions; this one spans a whole `grove index` run, so a second run
 * waits or refuses instead of interleaving its batches with the first.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroveError, toGroveError } from '../errors.js';

/** Who holds a lock, as recorded in the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** What the holder is doing, e.g. `grove index`. */
  command: string;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat field 22), to detect pid reuse. */
  procStart?: number;
}

/** A held lock. */
export interface IndexLock {
  readonly path: string;
  /** Idempotent; removes the lock file only if it is still ours. */
  release(): void;
}

export interface AcquireOptions {
  /** How long to wait for a live holder; 0 (the default) refuses at once. */
  waitMs?: number;
  /** Aborts the wait with GroveError ABORTED. */
  signal?: AbortSignal;
  /** Recorded for whoever finds the lock taken; default `grove index`. */
  command?: string;
}

/** How often a waiter looks again: a run lasts seconds to minutes, so 10 looks a second cost nothing. */
const POLL_INTERVAL_MS = 100;
/** An unparsable lock older than this is a writer that died mid-write: writing takes microseconds. */
const GARBAGE_STALE_MS = 5_000;
/** A recovery takes microseconds: retrying this soon costs nothing and keeps a takeover quick. */
const RECOVERY_RETRY_MS = 5;
/** Field 22 of /proc/<pid>/stat (starttime) is the 20th after the `(comm)` field, which may hold spaces. */
const PROC_STAT_STARTTIME_INDEX = 19;

/** What the file holds: the owner plus a token that tells our lock from a later holder's. */
type LockRecord = LockOwner & { token: string };
type Probe =
  | { state: 'taken' }
  | { state: 'gone' }
  | { state: 'live'; owner: LockOwner | null }
  | { state: 'stale'; ino: number; text: string };

const held = new Map<string, string>(); // lock path -> our token, released on process exit
let exitHookInstalled = false;

/**
 * Takes the exclusive write lock of the index whose database is `dbPath` (lock file `${dbPath}.lock`).
 * A lock left by a dead process on this host (crash, SIGKILL) is recovered automatically.
 * @throws GroveError INDEX_LOCKED (a live holder, after `waitMs`), ABORTED, IO_ERROR, DISK_FULL.
 */
export async function acquireIndexLock(dbPath: string, options: AcquireOptions = {}): Promise<IndexLock> {
  const path = `${dbPath}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    if (options.signal?.aborted) throw aborted(path);
    const token = randomBytes(12).toString('hex');
    const probe = tryCreate(path, token, options.command ?? 'grove index');
    if (probe.state === 'taken') return holdLock(path, token);
    if (probe.state === 'gone') continue;
    if (probe.state === 'stale') {
      // Guard busy: another process is recovering this very lock; let it finish.
      if (!removeIfStillStale(path, probe)) await sleep(RECOVERY_RETRY_MS);
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw lockedError(path, probe.owner);
    try {
      await sleep(Math.min(POLL_INTERVAL_MS, remaining), undefined, { signal: options.signal });
    } catch {
      throw aborted(path);
    }
  }
}

/** Who holds the lock of `dbPath` now, or null when nobody does (no file, or a dead holder's file). */
export function readLockOwner(dbPath: string): LockOwner | null {
  const path = `${dbPath}.lock`;
  const record = readRecord(path);
  if (record === null || isDeadHere(record)) return null;
  const { token: _token, ...owner } = record;
  return owner;
}

/** Creates the lock atomically, or says why not: a temp file written in full, then linked into place. */
function tryCreate(path: string, token: string, command: string): Probe {
  const procStart = readProcStart(process.pid) ?? undefined; // undefined: left out of the JSON
  const owner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), command };
  const record: LockRecord = { ...owner, procStart, token };
  const temp = `${path}.${token}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true }); // a first run locks before the index directory exists
    // flush (fsync): after a power loss the lock must not be an empty file that blocks for GARBAGE_STALE_MS.
    writeFileSync(temp, JSON.stringify(record), { flag: 'wx', flush: true });
    linkSync(temp, path); // atomic and fails with EEXIST if taken: a reader sees all of the owner or nothing
    return { state: 'taken' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toGroveError(error, { lock: path });
    return probeExisting(path);
  } finally {
    unlinkQuietly(temp);
  }
}

function probeExisting(path: string): Probe {
  let text: string;
  let stat: { ino: number; mtimeMs: number };
  try {
    // Read, then stat: if the file is replaced in between, the inode and bytes disagree and
    // removeIfStillStale re-checks both under its guard, so the race only costs a retry.
    text = readFileSync(path, 'utf8');
    stat = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'gone' }; // released: retry
    throw toGroveError(error, { lock: path });
  }
  const record = parseRecord(text);
  const stale = record === null ? Date.now() - stat.mtimeMs > GARBAGE_STALE_MS : isDeadHere(record);
  return stale ? { state: 'stale', ino: stat.ino, text } : { state: 'live', owner: record };
}

/**
 * Removes a stale lock without ever removing a live one. Recoverers first take a guard file (atomic
 * create): under it, the lock is re-read and removed only if it is still the very file judged stale
 * (same inode AND same bytes: inodes get reused, tokens do not). Nothing else replaces an existing lock
 * (a holder is alive or dead, and acquirers only create a missing one), so the re-read stays true until
 * the unlink. A recoverer that finds the guard taken just retries.
 */
function removeIfStillStale(path: string, stale: { ino: number; text: string }): boolean {
  const guard = `${path}.recover`;
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' });
  } catch {
    // Another recoverer is at it. A guard left by a recoverer that died is cleared after a while.
    try {
      if (Date.now() - statSync(guard).mtimeMs > GARBAGE_STALE_MS) unlinkQuietly(guard);
    } catch {
      // gone already
    }
    return false;
  }
  try {
    if (statSync(path).ino === stale.ino && readFileSync(path, 'utf8') === stale.text) unlinkSync(path);
  } catch {
    // ENOENT: already gone; anything else: leave it, the caller retries
  } finally {
    unlinkQuietly(guard);
  }
  return true;
}

/** True only when the holder is provably gone: this host, and its pid dead or reused. */
function isDeadHere(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return false; // another machine on a shared disk: cannot tell
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: alive but another user's; only ESRCH means dead.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const start = owner.procStart === undefined ? null : readProcStart(owner.pid);
  return start !== null && start !== owner.procStart;
}

function readProcStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const field = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[PROC_STAT_STARTTIME_INDEX];
    const ticks = Number(field);
    return Number.isSafeInteger(ticks) ? ticks : null;
  } catch {
    return null; // no /proc (macOS) or the process is gone: fall back to the pid check alone
  }
}

function readRecord(path: string): LockRecord | null {
  try {
    return parseRecord(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function parseRecord(text: string): LockRecord | null {
  let r: Partial<LockRecord> | null;
  try {
    r = JSON.parse(text) as Partial<LockRecord> | null;
  } catch {
    return null;
  }
  if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.pid)) return null;
  const strings = [r.hostname, r.startedAt, r.command, r.token].every((v) => typeof v === 'string');
  const procStartOk = r.procStart === undefined || typeof r.procStart === 'number';
  return strings && procStartOk ? (r as LockRecord) : null;
}

function holdLock(path: string, token: string): IndexLock {
  held.set(path, token);
  if (!exitHookInstalled) {
    // 'exit' runs on a normal end and after an uncaught exception; only SIGKILL-like deaths skip it,
    // which is what stale detection is for. Handlers here must be synchronous.
    process.on('exit', () => {
      for (const [lockPath, ours] of held) releaseIfOurs(lockPath, ours);
    });
    exitHookInstalled = true;
  }
  return { path, release: () => releaseIfOurs(path, token) };
}

function releaseIfOurs(path: string, token: string): void {
  if (held.get(path) !== token) return;
  held.delete(path);
  // Check-then-unlink is safe: nobody takes over a lock whose holder (us) is alive.
  if (readRecord(path)?.token === token) unlinkQuietly(path);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function lockedError(path: string, owner: LockOwner | null): GroveError {
  if (owner === null) {
    return new GroveError(
      'INDEX_LOCKED',
      `Index lock ${path} is being written or is damaged. Run again in ${GARBAGE_STALE_MS / 1000} s and ` +
        'grove takes it over, or delete it if no grove process is running.',
      { lock: path },
    );
  }
  const here = owner.hostname === hostname();
  const what = `\`${owner.command}\` (pid ${owner.pid}${here ? '' : ` on host ${owner.hostname}`})`;
  const todo = here
    ? 'Wait for it to finish, or stop that process (grove recovers the lock of a process that has died).'
    : `Wait for it to finish; if it no longer runs on ${owner.hostname}, delete ${path}.`;
  const details = { lock: path, pid: owner.pid, hostname: owner.hostname, command: owner.command };
  const message = `Index lock ${path} is held by ${what} since ${owner.startedAt}. ${todo}`;
  return new GroveError('INDEX_LOCKED', message, { ...details, since: owner.startedAt });
}

function aborted(path: string): GroveError {
  return new GroveError('ABORTED', `Stopped waiting for the index lock ${path}.`, { lock: path });
}
