// The human view on a terminal: findings as a table sorted by risk, then the health of every input.
// Every value from the inputs passes through escapeTerminal before it is printed.
import pc from 'picocolors';
import type { Finding } from '../core/findings.js';
import { compareFindings } from '../core/findings.js';
import type { InputHealth, RunSummary } from '../core/health.js';
import { escapeTerminal } from './escape.js';

const MAX_CELL = 60;
const MAX_ROWS_DEFAULT = 50;
/** Files found in a directory that no reader recognises are listed up to this many, then counted. */
const MAX_PASSED_OVER_LISTED = 10;

function cell(value: string | number | undefined, width = MAX_CELL): string {
  if (value === undefined) return '-';
  const text = escapeTerminal(String(value));
  return text.length > width ? text.slice(0, width - 1) + '…' : text;
}

function isoTime(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts * 1000).toISOString().replace('.000Z', 'Z') : String(ts);
}

function riskColour(risk: number, text: string): string {
  if (risk >= 9) return pc.red(pc.bold(text));
  if (risk >= 7) return pc.yellow(text);
  return text;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - visibleLength(c)))).join('  ').trimEnd();
  return [pc.bold(line(header)), ...rows.map(line)];
}

// Colour codes are ours, never input text, so stripping them to measure width is safe.
function visibleLength(text: string): number {
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

export function renderFindings(findings: readonly Finding[], maxRows = MAX_ROWS_DEFAULT): string[] {
  if (findings.length === 0) return [pc.green('No findings.')];
  const sorted = [...findings].sort(compareFindings);
  const rows = sorted.slice(0, maxRows).map((f) => [
    riskColour(f.risk, String(f.risk)),
    cell(f.analytic, 28),
    cell(f.technique, 10),
    isoTime(f.ts_start),
    cell(f.host ?? f.src_ip, 40),
    cell(f.dst_ip === undefined ? undefined : f.dst_port === undefined ? f.dst_ip : `${f.dst_ip}:${f.dst_port}`, 46),
    cell(f.reason, 100),
  ]);
  const out = [pc.bold(`Findings (${findings.length})`), ...table(['risk', 'analytic', 'technique', 'start', 'host', 'destination', 'reason'], rows)];
  if (sorted.length > maxRows) out.push(pc.dim(`… ${sorted.length - maxRows} more; use --format jsonl or --out for all of them`));
  return out;
}

function inputLine(input: InputHealth): string[] {
  const layers = input.compression.length > 0 ? ` (${input.compression.join('+')})` : '';
  const format = input.format ?? 'unknown';
  const head = `${cell(input.path, 200)}  ${format}${layers}  ${input.records} records, ${input.events} events`;
  const lines = [input.error === undefined ? head : `${head}  ${pc.red('error: ' + escapeTerminal(input.error))}`];
  for (const { code, count, examples } of input.anomalies.entries()) {
    const where = examples
      .map((e) => (e.line !== undefined ? `line ${e.line}` : e.offset !== undefined ? `byte ${e.offset}` : undefined))
      .filter((w) => w !== undefined)
      .join(', ');
    const detail = examples[0]?.detail;
    lines.push(`    skipped ${count} × ${code}${where ? ` (${where})` : ''}${detail ? `: ${cell(detail, 80)}` : ''}`);
  }
  for (const note of input.notes) lines.push(pc.dim(`    note: ${escapeTerminal(note)}`));
  return lines;
}

export function renderSummary(summary: RunSummary): string[] {
  const records = summary.inputs.reduce((n, i) => n + i.records, 0);
  const skipped = summary.inputs.reduce((n, i) => n + i.anomalies.total, 0);
  const failed = summary.inputs.filter((i) => i.error !== undefined).length;
  const read = summary.inputs.filter((i) => i.passedOver === undefined);
  const passedOver = summary.inputs.filter((i) => i.passedOver !== undefined);
  const out = [pc.bold('Inputs'), ...read.flatMap(inputLine)];
  if (passedOver.length > 0) {
    out.push(pc.dim(`  ${passedOver.length} files found in directories passed over:`));
    for (const input of passedOver.slice(0, MAX_PASSED_OVER_LISTED)) out.push(pc.dim(`    ${cell(input.path, 200)}  passed over: ${escapeTerminal(input.passedOver!)}`));
    if (passedOver.length > MAX_PASSED_OVER_LISTED) out.push(pc.dim(`    … and ${passedOver.length - MAX_PASSED_OVER_LISTED} more`));
  }
  out.push(
    pc.bold('Run summary'),
    `  ${read.length} inputs read (${failed} with errors), ${passedOver.length} passed over, ${records} records read, ${skipped} skipped, ${summary.elapsed.toFixed(2)} s`,
  );
  const analytics = [...summary.findingsByAnalytic.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (analytics.length > 0) out.push('  findings: ' + analytics.map(([a, n]) => `${a} ${n}`).join(', '));
  for (const { code, count } of summary.detectorLimits.entries()) out.push(pc.yellow(`  limit hit ${count} × ${code}`));
  return out;
}
