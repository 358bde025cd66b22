/** `grove index [PATH]`: runs the pipeline with a progress bar (TTY) or NDJSON events (`--json`). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type IndexOptions, resolveConfig } from '../../config/resolve-config.js';
import { ERROR_CODES, GroveError } from '../../errors.js';
import type { SummaryEvent } from '../../pipeline/index-events.js';
import { listAhead } from '../../pipeline/stages/native-scan.js';
import { isGitUrl } from '../../repo/git-url.js';
import type { CommandIo } from '../command-io.js';
import { formatBytes, formatCount, formatDuration } from '../format.js';
import { redraw, renderProgress } from '../progress-bar.js';

export async function runIndexCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      ref: { type: 'string' },
      index: { type: 'string' },
      'max-memory': { type: 'string' },
      concurrency: { type: 'string' },
      'max-file-size': { type: 'string' },
      'hard-cap': { type: 'string' },
      'parse-timeout': { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      macro: { type: 'string', multiple: true },
    },
  });
  if (positionals.length > 1) throw new GroveError('USAGE', 'grove index takes one PATH or GIT-URL');
  const target = positionals[0] ?? '.';
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(ERROR_CODES.ABORTED.exit);
    io.err('\ngrove: stopping (finishing the open batch; press Ctrl-C again to quit now)\n');
    controller.abort(new GroveError('ABORTED', 'interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: SummaryEvent | undefined;
  try {
    const { root, indexDir } = await resolveTarget(target, values.ref, controller.signal, io, values.json);
    const options: IndexOptions = {
      indexDir: values.index === undefined ? indexDir : resolve(io.cwd, values.index),
      maxMemory: values['max-memory'],
      concurrency,
      maxFileSize: values['max-file-size'],
      hardCap: values['hard-cap'],
      parseTimeoutMs: values['parse-timeout'],
      include: values.include,
      exclude: values.exclude,
      macros: values.macro,
      full: values.full,
      signal: controller.signal,
    };
    if (values['dry-run']) {
      // Loaded when asked: startup is a fixed cost of every re-index, which never plans.
      const [{ planDryRun }, { formatDryRun }] = await Promise.all([
        import('../../pipeline/dry-run.js'),
        import('../dry-run-report.js'),
      ]);
      const report = await planDryRun(resolveConfig(root, options), { signal: controller.signal });
      io.out(values.json ? `${JSON.stringify(report)}\n` : `${formatDryRun(report)}\n`);
      return 0;
    }
    // The tree is listed on other threads while the pipeline's modules load and the index opens.
    listAhead(root);
    const { indexRepository } = await import('../../pipeline/index-repository.js');
    const events = indexRepository(root, options);
    for await (const event of events) {
      if (values.json) io.out(`${JSON.stringify(event)}\n`);
      else if (event.type === 'progress' && io.isTty) io.err(redraw(renderProgress(event)));
      else if (event.type === 'file-failed')
        io.err(
          `${io.isTty ? redraw('') : ''}failed: ${event.path}: ${event.error?.message ?? event.reason}\n`,
        );
      if (event.type === 'summary') summary = event;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (!summary) throw new GroveError('INTERNAL', 'the run ended without a summary');
  if (!values.json) io.err(`${io.isTty ? redraw('') : ''}${describeSummary(summary)}\n`);
  if (summary.run.aborted) return ERROR_CODES.ABORTED.exit;
  return summary.files.failed > 0 ? 1 : 0;
}

/**
 * A directory is indexed in place; a git URL is cloned (shallow) or updated into grove's cache first,
 * and its index lives beside the checkout (inside it, a `git clean` on update would delete it).
 */
async function resolveTarget(
  target: string,
  ref: string | undefined,
  signal: AbortSignal,
  io: CommandIo,
  json: boolean,
): Promise<{ root: string; indexDir: string | undefined }> {
  if (isGitUrl(target)) {
    const { materializeGitSource } = await import('../../repo/git-source.js');
    const source = await materializeGitSource(target, { ref, signal });
    const event = {
      type: 'source',
      url: source.url,
      commit: source.commit,
      fetched: source.fetched,
      root: source.root,
    };
    if (json) io.out(`${JSON.stringify(event)}\n`);
    else io.err(`${source.fetched} ${source.url} at ${source.commit.slice(0, 12)} -> ${source.root}\n`);
    return { root: source.root, indexDir: `${source.root}.grove` };
  }
  if (ref !== undefined) throw new GroveError('USAGE', '--ref applies to a GIT-URL, not to a directory');
  const root = resolve(io.cwd, target);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new GroveError('ROOT_NOT_FOUND', `${root} is not a directory`);
  }
  return { root, indexDir: undefined };
}

function describeSummary(summary: SummaryEvent): string {
  const { files } = summary;
  const seconds = Math.max(summary.wallMs / 1000, 0.001);
  const languages = Object.entries(summary.languages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, count]) => `${name} ${formatCount(count)}`)
    .join(', ');
  return [
    summary.run.aborted ? 'Stopped early: run `grove index` again to finish.' : 'Indexed.',
    `  files: ${formatCount(files.indexed)} indexed, ${formatCount(files.textOnly)} text-only, ${formatCount(files.skipped)} skipped, ${formatCount(files.failed)} failed`,
    `  ${formatCount(summary.symbols)} symbols, ${formatCount(summary.chunks)} chunks; languages: ${languages || 'none'}`,
    `  ${formatBytes(summary.bytes)} in ${formatDuration(summary.wallMs)} (${(summary.bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s), peak RSS ${formatBytes(summary.peakRssBytes)}`,
    files.failed > 0
      ? '  Failed files are listed by `grove status --json`; their text is still searchable.'
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}
