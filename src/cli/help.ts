/**
 * The usage text, and one command's part of it for `grove COMMAND --help` and `grove help COMMAND`.
 */

export const HELP = `grove: index a repository into a searchable map of files, symbols and chunks

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

const COMMON = HELP.slice(HELP.indexOf('\nCommon options:') + 1);

/**
 * The lines of HELP about `command`: its usage line and the deeper-indented option lines after it, then
 * the options every command takes.
 */
export function commandHelp(command: string): string {
  const lines = HELP.split('\n');
  const first = lines.findIndex(
    (line) => line.startsWith(`  grove ${command} `) || line === `  grove ${command}`,
  );
  if (first < 0) return HELP;
  let last = first + 1;
  while (last < lines.length && lines[last]!.startsWith('      ')) last++;
  return ['Usage:', ...lines.slice(first, last), '', COMMON].join('\n');
}

/** `--help` or `-h` among a command's arguments; after `--` they are positional (a query, a path). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
