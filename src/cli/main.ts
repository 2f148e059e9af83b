// The `exfilscope` command: parses arguments, runs the pipeline, renders results, returns the exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/findings.js';
import type { InputHealth, RunSummary } from '../core/health.js';
import { loadConfig } from '../pipeline/config.js';
import { dump, run } from '../pipeline/run.js';
import { toJsonLine } from '../sinks/jsonl.js';
import { writeZeekLogs } from '../sinks/zeek-logs/write.js';
import { renderFindings, renderSummary } from '../sinks/terminal.js';
import { closeStream, createPrivateFile, formatFinding, writeStdout, type RecordFormat } from './output.js';
import { progressReporter } from './progress.js';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, findingAtRisk: 1, usageOrInput: 2 } as const;

interface HuntOptions {
  config?: string;
  format: 'table' | RecordFormat;
  out?: string;
  failOn?: number;
  quiet: boolean;
}

function parseRisk(value: string): number {
  const risk = Number(value);
  if (!Number.isInteger(risk) || risk < 0 || risk > 10) throw new InvalidArgumentError('a whole number from 0 to 10');
  return risk;
}

function printLines(lines: string[], toStderr: boolean): void {
  (toStderr ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
}

function inputsFailed(inputs: readonly InputHealth[]): boolean {
  return inputs.some((input) => input.error !== undefined);
}

async function hunt(paths: string[], options: HuntOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const recordsOnStdout = options.format !== 'table' && options.out === undefined;
  const fileFormat: RecordFormat = options.format === 'ecs' ? 'ecs' : 'jsonl';
  const file = options.out === undefined ? undefined : createPrivateFile(options.out);
  const findings: Finding[] = [];
  const progress = progressReporter(options.quiet);
  let pending: Promise<void> = Promise.resolve();
  const summary: RunSummary = await run(paths, {
    config,
    detect: true,
    onProgress: progress.update,
    onFinding(finding) {
      findings.push(finding);
      if (file !== undefined) file.write(formatFinding(finding, fileFormat));
      else if (recordsOnStdout) pending = pending.then(() => writeStdout(formatFinding(finding, fileFormat)));
    },
  });
  progress.stop();
  await pending;
  if (file !== undefined) await closeStream(file);
  if (!recordsOnStdout) printLines(renderFindings(findings), false);
  if (!options.quiet || recordsOnStdout) printLines(renderSummary(summary), true);
  if (options.failOn !== undefined && findings.some((f) => f.risk >= options.failOn!)) return EXIT.findingAtRisk;
  return inputsFailed(summary.inputs) ? EXIT.usageOrInput : EXIT.ok;
}

async function events(paths: string[], options: { config?: string; quiet: boolean }): Promise<number> {
  const config = await loadConfig(options.config);
  let pending: Promise<void> = Promise.resolve();
  const summary = await run(paths, {
    config,
    detect: false,
    onEvents(batch) {
      const text = batch.map((event) => toJsonLine(event)).join('');
      pending = pending.then(() => writeStdout(text));
    },
  });
  await pending;
  if (!options.quiet) printLines(renderSummary(summary), true);
  return inputsFailed(summary.inputs) ? EXIT.usageOrInput : EXIT.ok;
}

async function dumpRecords(paths: string[], options: { config?: string; quiet: boolean }): Promise<number> {
  const config = await loadConfig(options.config);
  const started = performance.now();
  let pending: Promise<void> = Promise.resolve();
  const inputs = await dump(paths, config, (records) => {
    const text = records.map((record) => toJsonLine(record)).join('');
    pending = pending.then(() => writeStdout(text));
  });
  await pending;
  const summary = { inputs, findingsByAnalytic: new Map(), elapsed: (performance.now() - started) / 1000 };
  if (!options.quiet) printLines(renderSummary(summary), true);
  return inputsFailed(inputs) ? EXIT.usageOrInput : EXIT.ok;
}

async function zeekLogs(paths: string[], options: { config?: string; out: string; format: 'zeek-tsv' | 'zeek-json'; quiet: boolean }): Promise<number> {
  const config = await loadConfig(options.config);
  const { summary } = await writeZeekLogs(paths, options.out, options.format, config);
  if (!options.quiet) printLines(renderSummary(summary), true);
  return inputsFailed(summary.inputs) ? EXIT.usageOrInput : EXIT.ok;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('exfilscope')
    .description('Find data exfiltration over symmetric-encrypted non-C2 protocols (MITRE ATT&CK T1048.001).')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const configOption = new Option('-c, --config <file>', 'YAML or JSON config (thresholds, limits); defaults otherwise');
  const quietOption = new Option('-q, --quiet', 'no progress bar and no input summary').default(false);

  program
    .command('hunt')
    .description('read inputs and report findings')
    .argument('<paths...>', 'files, directories (walked recursively) or - for stdin')
    .addOption(configOption)
    .addOption(new Option('-f, --format <format>', 'findings as a table, JSON lines or ECS').choices(['table', 'jsonl', 'ecs']).default('table'))
    .option('-o, --out <file>', 'also write findings as JSON lines (or ECS with --format ecs) to this file')
    .option('--fail-on <risk>', 'exit 1 when any finding reaches this risk (0-10)', parseRisk)
    .addOption(quietOption)
    .action(async (paths: string[], options: HuntOptions) => setExit(await hunt(paths, options)));

  program
    .command('events')
    .description('print the normalised events of the inputs as JSON lines')
    .argument('<paths...>', 'files, directories or -')
    .addOption(configOption)
    .addOption(quietOption)
    .action(async (paths: string[], options: { config?: string; quiet: boolean }) => setExit(await events(paths, options)));

  program
    .command('dump')
    .description('print parsed records before normalisation as JSON lines')
    .argument('<paths...>', 'files, directories or -')
    .addOption(configOption)
    .addOption(quietOption)
    .action(async (paths: string[], options: { config?: string; quiet: boolean }) => setExit(await dumpRecords(paths, options)));

  program
    .command('logs')
    .description('write Zeek logs (conn, http, dns, ftp, smtp) decoded from captures')
    .argument('<paths...>', 'captures, directories or -')
    .requiredOption('-o, --out <dir>', 'directory for the .log files')
    .addOption(new Option('--format <format>', 'Zeek TSV or Zeek JSON lines').choices(['zeek-tsv', 'zeek-json']).default('zeek-tsv'))
    .addOption(configOption)
    .addOption(quietOption)
    .action(async (paths: string[], options: { config?: string; out: string; format: 'zeek-tsv' | 'zeek-json'; quiet: boolean }) =>
      setExit(await zeekLogs(paths, options)));

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usageOrInput;
    if (err instanceof UsageError) {
      process.stderr.write(`exfilscope: ${err.message}\n`);
      return EXIT.usageOrInput;
    }
    throw err;
  }
  return exitCode;
}
