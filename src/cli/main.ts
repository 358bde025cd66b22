/**
 * The command-line entry. The only place (with cli/commands) that prints for humans and decides exit
 * codes: 0 success, 1 finished with per-file failures, 2 usage, others fatal (see errors.ts).
 */
import { createRequire } from 'node:module';
import { GroveError, toGroveError } from '../errors.js';
import type { CommandIo } from './command-io.js';
import { commandHelp, HELP, wantsHelp } from './help.js';

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
  if (!command || command === '--help' || command === '-h') {
    io.out(`${HELP}\n`);
    return command ? 0 : 2;
  }
  if (command === 'help') {
    const [topic] = rest;
    if (topic === undefined) io.out(`${HELP}\n`);
    else if (topic in COMMANDS) io.out(`${commandHelp(topic)}\n`);
    else return report(new GroveError('USAGE', `unknown command "${topic}"`), io);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(`grove ${groveVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) return report(new GroveError('USAGE', `unknown command "${command}"`), io);
  if (wantsHelp(rest)) {
    io.out(`${commandHelp(command)}\n`);
    return 0;
  }
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
