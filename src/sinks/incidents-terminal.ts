// Incidents on a terminal: a table of incidents, or one incident with its stages and evidence. Every value from
// the inputs passes through escapeTerminal (via `cell`) before it is printed.
import pc from 'picocolors';
import type { Incident } from '../core/incidents.js';
import { escapeTerminal } from './escape.js';
import { cell, isoTime, riskColour, table } from './terminal.js';

export function renderIncidents(incidents: readonly Incident[], maxRows = 50): string[] {
  if (incidents.length === 0) return [pc.green('No incidents.')];
  const rows = incidents.slice(0, maxRows).map((i) => [
    cell(i.id.slice(0, 12)),
    riskColour(i.risk, i.risk.toFixed(1)),
    cell(i.technique, 10),
    isoTime(i.ts_start),
    cell(i.host, 30),
    cell(i.dst_ip === undefined ? undefined : i.dst_port === undefined ? i.dst_ip : `${i.dst_ip}:${i.dst_port}`, 46),
    cell(i.process?.image, 40),
    cell(i.stages.map((s) => s.stage).join('→'), 30),
    cell(i.suppressed === undefined ? i.reason : `[suppressed: ${i.suppressed}] ${i.reason}`, 120),
  ]);
  const out = [pc.bold(`Incidents (${incidents.length})`), ...table(['id', 'risk', 'technique', 'start', 'host', 'destination', 'process', 'stages', 'reason'], rows)];
  if (incidents.length > maxRows) out.push(pc.dim(`… ${incidents.length - maxRows} more; use --format jsonl for all of them`));
  return out;
}

export function renderIncident(i: Incident): string[] {
  const out = [
    pc.bold(`Incident ${i.id}`) + `  risk ${riskColour(i.risk, i.risk.toFixed(1))}  ${i.technique}`,
    `  ${isoTime(i.ts_start)} – ${isoTime(i.ts_end)}`,
    `  host ${cell(i.host, 200)}  ${cell(i.src_ip)} → ${cell(i.dst_ip)}${i.dst_port === undefined ? '' : ':' + i.dst_port}`,
  ];
  if (i.process !== undefined) {
    out.push(`  process ${cell(i.process.image, 200)} pid ${cell(i.process.pid)} user ${cell(i.process.user)}`);
    if (i.process.command_line !== undefined) out.push(`    ${cell(i.process.command_line, 400)}`);
    if (i.process.parent !== undefined) out.push(`  parent ${cell(i.process.parent.image, 200)} ${cell(i.process.parent.command_line, 300)}`);
  }
  if (i.suppressed !== undefined) out.push(pc.dim(`  suppressed: ${escapeTerminal(i.suppressed)}`));
  out.push(`  ${escapeTerminal(i.reason)}`, pc.bold('Stages'));
  for (const s of i.stages) out.push(`  ${isoTime(s.ts)}  ${s.stage.padEnd(8)}  ${cell(s.analytic, 40)}  ${cell(s.finding_id)}  ${cell(s.note, 200)}`);
  out.push(pc.bold('Evidence'));
  for (const e of i.evidence) {
    const at = e.line !== undefined ? `line ${e.line}` : e.offset !== undefined ? `byte ${e.offset}` : '';
    out.push(`  ${cell(e.path, 200)} ${at}  (${cell(e.reader, 20)})  ${cell(e.note, 200)}`);
  }
  return out;
}
