/**
 * The one registry of grove's error codes. Every error that reaches a user, a log, a worker boundary or
 * (later) a socket carries one of these codes; callers branch on `code`, never on message text.
 */
export const ERROR_CODES = {
  USAGE: { exit: 2, hint: 'Run `grove --help` for the commands and their options.' },
  CONFIG_INVALID: { exit: 2, hint: 'Fix the option value named in the message.' },
  ROOT_NOT_FOUND: { exit: 2, hint: 'Pass an existing directory to index.' },
  FILE_NOT_INDEXED: {
    exit: 2,
    hint: 'Name a file of the index by its path relative to the indexed root (`grove status` shows the root).',
  },
  PATH_OUTSIDE_ROOT: { exit: 2, hint: 'Only files inside the indexed root can be asked about.' },
  INDEX_NOT_FOUND: { exit: 3, hint: 'Run `grove index` in the repository first, or pass --index DIR.' },
  INDEX_CORRUPT: { exit: 4, hint: 'Run `grove index --full` to rebuild the index from scratch.' },
  INDEX_SCHEMA_NEWER: {
    exit: 4,
    hint: 'Upgrade grove, or run `grove index --full` to rebuild with this version.',
  },
  INDEX_LOCKED: { exit: 5, hint: 'Another grove process is writing this index; wait for it or stop it.' },
  DISK_FULL: { exit: 6, hint: 'Free disk space where the index lives, then run `grove index` again.' },
  ABORTED: { exit: 130, hint: 'The run was interrupted; run `grove index` again to finish it.' },
  FILE_UNREADABLE: { exit: 1, hint: 'Check the file permissions; grove records the file and continues.' },
  FILE_VANISHED: { exit: 1, hint: 'The file was deleted during the run; the next run records its absence.' },
  FILE_CHANGED_DURING_READ: { exit: 1, hint: 'The file kept changing while grove read it; run again.' },
  FILE_TOO_DEEP: { exit: 1, hint: 'The directory nesting is deeper than grove walks; exclude it.' },
  SYMLINK_OUTSIDE_ROOT: { exit: 1, hint: 'grove never follows links out of the indexed root.' },
  SYMLINK_LOOP: { exit: 1, hint: 'The link points back into its own ancestry; grove skips it.' },
  PARSE_FAILED: { exit: 1, hint: 'The parser failed on this file; its text is still searchable.' },
  PARSE_TIMEOUT: { exit: 1, hint: 'Parsing took too long; raise --parse-timeout or exclude the file.' },
  WORKER_CRASHED: { exit: 1, hint: 'A parse worker died on this file (often memory); it was replaced.' },
  IO_ERROR: { exit: 1, hint: 'An unexpected I/O error; the message names the file and the system error.' },
  GIT_NOT_INSTALLED: { exit: 7, hint: 'Install git (and put it on PATH) to index a repository by URL.' },
  GIT_CLONE_FAILED: {
    exit: 7,
    hint: 'Check the URL, the network and your access (git credential helpers, ssh keys); git said why above.',
  },
  GIT_REF_NOT_FOUND: {
    exit: 2,
    hint: 'Pass a branch, tag or full commit SHA that exists in the repository.',
  },
  DAEMON_RUNNING: {
    exit: 8,
    hint: 'A grove daemon already serves this socket: use it, stop it with `grove stop`, or pass another --socket.',
  },
  DAEMON_NOT_RUNNING: {
    exit: 8,
    hint: 'No grove daemon answers on the socket; start one with `grove serve`.',
  },
  DAEMON_BUSY: {
    exit: 9,
    hint: 'The daemon is shutting down or its work queue is full; retry in a moment.',
  },
  REQUEST_INVALID: {
    exit: 2,
    hint: 'Send one JSON-RPC 2.0 object per line, under the frame size limit, with the documented params.',
  },
  METHOD_NOT_FOUND: { exit: 2, hint: 'Use a method listed in docs/COMMANDS.md (grove serve).' },
  UNAUTHORIZED: { exit: 2, hint: 'Send the daemon token as `Authorization: Bearer TOKEN`.' },
  INTERNAL: { exit: 70, hint: 'This is a bug in grove; please report it with the message above.' },
} as const satisfies Record<string, { exit: number; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class GroveError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GroveError';
    this.code = code;
    this.details = details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  get hint(): string {
    return ERROR_CODES[this.code].hint;
  }

  toJSON(): SerializedError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error that crossed a worker or process boundary, by its code. */
  static fromJSON(data: SerializedError): GroveError {
    const code = isErrorCode(data.code) ? data.code : 'INTERNAL';
    return new GroveError(code, data.message, data.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

const ERRNO_CODES: Record<string, ErrorCode> = {
  EACCES: 'FILE_UNREADABLE',
  EPERM: 'FILE_UNREADABLE',
  ENOENT: 'FILE_VANISHED',
  ENOTDIR: 'FILE_VANISHED',
  ENOSPC: 'DISK_FULL',
  ELOOP: 'SYMLINK_LOOP',
};

/** Maps any thrown value to a GroveError, translating Node's errno codes (never message text). */
export function toGroveError(error: unknown, context?: Record<string, unknown>): GroveError {
  if (error instanceof GroveError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const mapped = errno ? ERRNO_CODES[errno] : undefined;
  const code: ErrorCode = mapped ?? (errno ? 'IO_ERROR' : 'INTERNAL');
  return new GroveError(code, message, { ...context, ...(errno ? { errno } : {}) }, { cause: error });
}
