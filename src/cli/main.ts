/**
 * The command-line entry. The only place (with cli/commands) that prints for humans and decides exit
 * codes: 0 success, 1 finished with per-file failures, 2 usage, others fatal (see errors.ts).
 */
import { createRequire } from 'node:module';
import { GroveError, toGroveError } from '../errors.js';
import type { CommandIo } from './command-io.js';

const HELP = `grove: index a repository into a searchable map of files, symbols and chunks

Usage:
  grove index [PATH|GIT-URL] index PATH (default .) into PATH/.grove; a GIT-URL is cloned (shallow)
      --ref REF             branch, tag or full commit of a GIT-URL (default: its default branch)
      --full                rebuild from scratch (also repairs a corrupt index)
      --dry-run             plan only: files by language and planned state, excluded paths, estimate
      --max-memory SIZE     hard memory budget (default 512M)
      --concurrency N       parse workers (default: cores)
      --max-file-size SIZE  files above are text-only, not parsed (default 1M)
      --hard-cap SIZE       files above are skipped (default 4G)
      --parse-timeout TIME  per-file parse limit, e.g. 500ms, 20s (default 20s)
      --include GLOB        only index matching files (repeatable)
      --exclude GLOB        never index matching files (repeatable)
      --macro NAME          a C/C++ macro to read as absent, NAME() with its arguments (repeatable)
      (include, exclude, macro and sizes are kept by later runs; '' clears a list)
  grove search QUERY        ranked code chunks  [--limit N] [--lang L] [--path GLOB] [--kind K]
  grove symbols NAME|PATTERN definitions (exact, or a glob: name*, *name?)  [--kind K] [--limit N]
      --refs                the uses of NAME instead, each resolved to its definition
  grove map                 the repository map: files ranked by PageRank with their main definitions
      --tokens N            token budget (default 1024)
      --focus PATH          rank around these files (repeatable)
  grove context PATH[:LINE] a file's definitions, imports, dependents and related code  [--tokens N]
  grove status              files by state, symbols, chunks, freshness
      --check               read every page of the index first; exit 4 if any is damaged
  grove serve               the daemon: JSON-RPC on a Unix socket, watchers keep loaded projects live
      --socket PATH         socket path (default $XDG_RUNTIME_DIR/grove/grove.sock or ~/.cache/grove)
      --http PORT           also serve loopback HTTP (/health, /metrics, /health/indexing, POST /rpc)
      --token TOKEN         HTTP bearer token (default: random, written next to the socket)
      --max-memory SIZE     evict idle projects when RSS nears this (default 512M)
      --idle-evict SECONDS  unload projects unused this long (default 1800)
      --no-watch            do not watch files (answers come from the last index run)
      --query-threads N     threads for search, refs, map, context (default: cores; 0: main thread)
      --index-dir ROOT=DIR  the index of ROOT lives in DIR (repeatable)
      --detach              run in the background; stop it with grove stop
  grove stop                stop the daemon  [--socket PATH]
  grove mcp                 MCP server on stdio (through the daemon if one runs)  [--root PATH]

Common options: --index DIR (where the index lives), --json (machine output), --help, --version
Exit codes: 0 ok, 1 done with per-file failures, 2 usage error, >2 fatal (the message says what to do)`;

type Command = (args: string[], io: CommandIo) => Promise<number>;

/** Loaded on demand: a command's modules are not parsed by the runs of another (startup is a fixed cost of every re-index). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  index: async () => (await import('./commands/index-command.js')).runIndexCommand,
  search: async () => (await import('./commands/search-command.js')).runSearchCommand,
  symbols: async () => (await import('./commands/symbols-command.js')).runSymbolsCommand,
  map: async () => (await import('./commands/map-command.js')).runMapCommand,
  context: async () => (await import('./commands/context-command.js')).runContextCommand,
  status: async () => (await import('./commands/status-command.js')).runStatusCommand,
  serve: async () => (await import('./commands/serve-command.js')).runServeCommand,
  stop: async () => (await import('./commands/stop-command.js')).runStopCommand,
  mcp: async () => (await import('./commands/mcp-command.js')).runMcpCommand,
};

export async function main(argv: string[], io: CommandIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(`${HELP}\n`);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    io.out(`grove ${groveVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) return report(new GroveError('USAGE', `unknown command "${command}"`), io);
  try {
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    return report(toGroveError(fromParseArgs(error)), io);
  }
}

/** From package.json, read only when asked: the version costs nothing to every other command. */
function groveVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}

function report(error: GroveError, io: CommandIo): number {
  io.err(`grove: ${error.message}\n  ${error.hint} [${error.code}]\n`);
  return error.exitCode;
}

/** node:util parseArgs throws plain TypeErrors with ERR_PARSE_ARGS_* codes: those are usage errors. */
function fromParseArgs(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return new GroveError('USAGE', (error as Error).message);
  }
  return error;
}

function defaultIo(): CommandIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}
