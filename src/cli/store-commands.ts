// The CLI commands that use the state store: `hunt --db`, `incidents`, `show`, `allow add|list|rm` and
// `baseline learn`. Kept apart from main.ts so the store stays optional: a hunt without --db never opens it.
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Incident } from '../core/incidents.js';
import type { RunSummary } from '../core/health.js';
import { ALLOW_KINDS, type AllowKind } from '../correlate/context.js';
import { parseCidr } from '../core/cidr.js';
import { loadConfig } from '../pipeline/config.js';
import type { RunOptions } from '../pipeline/run.js';
import { incidentRecord, toJsonLine } from '../sinks/jsonl.js';
import { renderIncident, renderIncidents } from '../sinks/incidents-terminal.js';
import { cell, renderSummary } from '../sinks/terminal.js';
import { ingest, rebuildIncidents } from '../store/ingest.js';
import { defaultDbPath, StoreError } from '../store/open.js';
import { Store } from '../store/store.js';
import { writeStdout } from './output.js';
import { progressReporter } from './progress.js';

/**
 * `--db <path>` always takes a path (an optional value would swallow the first input path). The store commands
 * default to the per-user store; `hunt` uses a store only when given one.
 */
export const huntDbOption = (): Option =>
  new Option('--db <path>', `keep state in this SQLite store (checkpoints, baselines, incidents); the usual one is ${defaultDbPath()}`);
const dbOption = (): Option => new Option('--db <path>', 'the SQLite store').default(defaultDbPath());

/**
 * Opens the store, runs `use`, closes it. A write that fails (disk full, read-only file) is a clear error: the
 * input being committed is not checkpointed, so the next run reads it again and loses nothing.
 */
async function withStore<T>(path: string, readonly: boolean, use: (store: Store) => T | Promise<T>): Promise<T> {
  const store = Store.open(path, readonly);
  try {
    return await use(store);
  } catch (err) {
    if (err instanceof Error && err.name === 'SqliteError') {
      throw new StoreError(`cannot write the store ${path}: ${err.message}. Nothing after the last committed input was recorded; fix the cause and run again.`);
    }
    throw err;
  } finally {
    store.close();
  }
}

/** `hunt --db`: the same run as without the store, plus checkpoints, dedup, baselines and incidents. */
export async function huntIntoStore(paths: string[], run: RunOptions, db: string): Promise<{ summary: RunSummary; incidents: Incident[] }> {
  return withStore(db, false, async (store) => {
    const { summary } = await ingest(store, paths, run.config, 'hunt', { onFinding: run.onFinding, onProgress: run.onProgress });
    return { summary, incidents: store.incidents() };
  });
}

function parseTime(value: string): number {
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) return n;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('an ISO 8601 time (2026-01-31T12:00:00Z) or epoch seconds');
  return ms / 1000;
}

function parseNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 10) throw new InvalidArgumentError('a number from 0 to 10');
  return n;
}

function print(lines: string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}

interface IncidentsOptions {
  db: string;
  host?: string;
  since?: number;
  until?: number;
  minRisk?: number;
  technique?: string;
  all: boolean;
  format: 'table' | 'jsonl';
}

async function listIncidents(options: IncidentsOptions): Promise<number> {
  const incidents = await withStore(options.db, true, (store) => store.incidents({
    host: options.host, from: options.since, to: options.until, minRisk: options.minRisk, technique: options.technique, includeSuppressed: options.all,
  }));
  if (options.format === 'jsonl') for (const i of incidents) await writeStdout(toJsonLine(incidentRecord(i)));
  else print(renderIncidents(incidents));
  return 0;
}

async function showIncident(id: string, options: { db: string; format: 'table' | 'jsonl' }): Promise<number> {
  const incident = await withStore(options.db, true, (store) => store.incident(id.toLowerCase()));
  if (incident === undefined) throw new UsageError(`no incident ${cell(id)} (give its ID or a unique prefix of 6 or more characters)`);
  if (options.format === 'jsonl') await writeStdout(toJsonLine(incidentRecord(incident)));
  else print(renderIncident(incident));
  return 0;
}

function checkAllowValue(kind: AllowKind, value: string): void {
  if (kind === 'cidr' && parseCidr(value) === undefined) throw new UsageError(`${value} is not a CIDR (a.b.c.d/n, x::/n or an address)`);
  if (value.trim() === '') throw new UsageError('an allow-list value cannot be empty');
}

async function changeAllowList(options: { db: string; config?: string }, change: (store: Store) => string): Promise<number> {
  const config = await loadConfig(options.config);
  return withStore(options.db, false, (store) => {
    print([change(store)]);
    // Stored findings are judged again, so the change applies to what was already found.
    const { incidents } = rebuildIncidents(store, config);
    print([`${incidents.filter((i) => i.suppressed === undefined).length} incidents after the change`]);
    return 0;
  });
}

async function learn(paths: string[], options: { db: string; config?: string; quiet: boolean }): Promise<number> {
  const config = await loadConfig(options.config);
  const progress = progressReporter(options.quiet);
  return withStore(options.db, false, async (store) => {
    const { summary, skipped } = await ingest(store, paths, config, 'learn', { onProgress: progress.update });
    progress.stop();
    const counts = store.counts();
    if (!options.quiet) process.stderr.write(renderSummary(summary).join('\n') + '\n');
    print([
      `baseline: ${counts.baseline_hosts} hosts, ${counts.baseline_destinations} host→destination pairs, ${counts.baseline_processes} processes using the network` +
        (skipped > 0 ? ` (${skipped} inputs already learned, skipped)` : ''),
    ]);
    return summary.inputs.some((i) => i.error !== undefined) ? 2 : 0;
  });
}

/** Adds the store commands to the program; `setExit` receives each command's exit code. */
export function addStoreCommands(program: Command, setExit: (code: number) => void, configOption: () => Option, quietOption: () => Option): void {
  const format = () => new Option('-f, --format <format>', 'a table or JSON lines').choices(['table', 'jsonl']).default('table');
  program
    .command('incidents')
    .description('list stored incidents, riskiest first')
    .addOption(dbOption())
    .option('--host <host>', 'only this host')
    .option('--since <time>', 'only incidents ending at or after this time (ISO 8601 or epoch seconds)', parseTime)
    .option('--until <time>', 'only incidents starting at or before this time', parseTime)
    .option('--min-risk <risk>', 'only incidents at or above this risk (0-10)', parseNumber)
    .option('--technique <id>', 'only this ATT&CK technique (T1048 includes its sub-techniques)')
    .option('--all', 'include incidents suppressed by a baseline or allow-list', false)
    .addOption(format())
    .action(async (options: IncidentsOptions) => setExit(await listIncidents(options)));

  program
    .command('show')
    .description('print one stored incident with its stages and evidence')
    .argument('<id>', 'incident ID or a unique prefix of it')
    .addOption(dbOption())
    .addOption(format())
    .action(async (id: string, options: { db: string; format: 'table' | 'jsonl' }) => setExit(await showIncident(id, options)));

  const allow = program.command('allow').description('allow-list entries that suppress findings, new and stored');
  allow
    .command('add')
    .description('add an entry: cidr 10.9.0.0/16, domain backup.example.com, process rsync, user svc-backup, analytic flow-asymmetry')
    .addArgument(new Command().createArgument('<kind>', 'what the value is').choices([...ALLOW_KINDS]))
    .argument('<value>')
    .option('--comment <text>', 'why it is allowed')
    .addOption(dbOption())
    .addOption(configOption())
    .action(async (kind: AllowKind, value: string, options: { db: string; config?: string; comment?: string }) => {
      checkAllowValue(kind, value);
      setExit(await changeAllowList(options, (store) => {
        const entry = store.addAllow(kind, value, options.comment);
        return `allow-list entry #${entry.id}: ${entry.kind} ${cell(entry.value, 200)}`;
      }));
    });
  allow
    .command('list')
    .description('list the entries')
    .addOption(dbOption())
    .action(async (options: { db: string }) => {
      const entries = await withStore(options.db, true, (store) => store.allowList());
      print(entries.length === 0 ? ['No allow-list entries.'] : entries.map((e) => `#${e.id}  ${e.kind.padEnd(8)}  ${cell(e.value, 200)}${e.comment ? '  ' + cell(e.comment, 200) : ''}`));
      setExit(0);
    });
  allow
    .command('rm')
    .description('remove an entry by its number')
    .argument('<id>', 'the entry number shown by `allow list`', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('an entry number');
      return n;
    })
    .addOption(dbOption())
    .addOption(configOption())
    .action(async (id: number, options: { db: string; config?: string }) => {
      setExit(await changeAllowList(options, (store) => {
        if (!store.removeAllow(id)) throw new UsageError(`no allow-list entry #${id}`);
        return `removed allow-list entry #${id}`;
      }));
    });

  program
    .command('baseline')
    .description('baselines of usual network behaviour')
    .command('learn')
    .description('learn hosts, destinations, ports and per-process network use from inputs into the store')
    .argument('<paths...>', 'files, directories or -')
    .addOption(dbOption())
    .addOption(configOption())
    .addOption(quietOption())
    .action(async (paths: string[], options: { db: string; config?: string; quiet: boolean }) => setExit(await learn(paths, options)));
}
