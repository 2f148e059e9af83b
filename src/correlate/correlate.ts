// The correlator: joins findings per host (and process lineage when known) within a time window into incidents —
// encryption tool run → encrypted file staged → outbound transfer of a consistent size (or whose file name was seen
// leaving) → to a destination that is new and is not the host's C2 peer. It is a pure function of the findings
// and the context, so rebuilding incidents from the stored findings gives the same incidents whatever the order
// or the number of runs that produced them.
import { isIP } from 'node:net';
import type { ProcessRef } from '../core/events.js';
import type { Evidence, Finding, Technique } from '../core/findings.js';
import { incidentId, type Incident, type IncidentStage, type StageName } from '../core/incidents.js';
import { inAny, parseCidrs } from '../core/cidr.js';
import { AllowList, describeAllow } from './allow.js';
import type { CorrelationContext } from './context.js';
import { stageOfAnalytic, type CorrelateOptions } from './options.js';
import { baseName } from './paths.js';
import { incidentRisk, type ChainFacts } from './score.js';

interface Placed {
  finding: Finding;
  stage: StageName;
  host: string;
  process?: ProcessRef;
}

interface TransferCluster {
  host: string;
  dst: string;
  transfers: Placed[];
  hostStages: Placed[];
  ts_start: number;
  ts_end: number;
}

export interface CorrelationResult {
  incidents: Incident[];
  /** Findings left out because an allow-list entry matched them, by entry id. */
  allowed: Map<number, number>;
}

function stageOf(options: CorrelateOptions, finding: Finding): StageName | undefined {
  const byAnalytic = stageOfAnalytic(options, finding.analytic);
  if (byAnalytic === 'ignore') return undefined;
  if (byAnalytic !== undefined) return byAnalytic;
  const t: Technique = finding.technique;
  if (t === 'T1041') return 'beacon';
  if (t.startsWith('T1048')) return 'transfer';
  if (t === 'T1027' || t === 'T1560') return 'encrypt';
  if (t === 'T1074') return 'stage';
  return undefined;
}

const detail = (f: Finding, keys: readonly string[]): string | number | undefined => {
  for (const key of keys) {
    const value = f.details?.[key];
    if (typeof value === 'string' || typeof value === 'number') return value;
  }
  return undefined;
};

/** The staged file's path and size, by the detail keys the file analytics use. */
const stagedPath = (f: Finding): string | undefined => {
  const v = detail(f, ['path', 'file', 'target_filename', 'file_path']);
  return typeof v === 'string' ? v : undefined;
};
const stagedSize = (f: Finding): number | undefined => {
  const v = detail(f, ['size', 'file_size', 'bytes']);
  return typeof v === 'number' && v > 0 ? v : undefined;
};

const byTime = (a: Placed, b: Placed): number =>
  a.finding.ts_start - b.finding.ts_start || (a.finding.id < b.finding.id ? -1 : a.finding.id > b.finding.id ? 1 : 0);

export function correlate(findings: readonly Finding[], ctx: CorrelationContext, options: CorrelateOptions): CorrelationResult {
  const allow = new AllowList(ctx.allowList());
  const allowed = new Map<number, number>();
  const placed: Placed[] = [];
  for (const finding of findings) {
    const stage = stageOf(options, finding);
    if (stage === undefined) continue;
    const p = place(finding, stage, ctx, options);
    const entry = allow.match(finding, p.process);
    if (entry !== undefined) {
      allowed.set(entry.id, (allowed.get(entry.id) ?? 0) + 1);
      continue;
    }
    placed.push(p);
  }
  placed.sort(byTime);

  const beacons = new Map<string, Placed[]>();
  const clusters: TransferCluster[] = [];
  const openCluster = new Map<string, TransferCluster>();
  const hostStages: Placed[] = [];
  for (const p of placed) {
    if (p.stage === 'encrypt' || p.stage === 'stage') {
      hostStages.push(p);
      continue;
    }
    const dst = p.finding.dst_ip ?? String(detail(p.finding, ['domain', 'query']) ?? '?');
    const key = p.host + '\u0000' + dst;
    if (p.stage === 'beacon') {
      const list = beacons.get(key) ?? [];
      list.push(p);
      beacons.set(key, list);
      continue;
    }
    const current = openCluster.get(key);
    if (current !== undefined && p.finding.ts_start - current.ts_end <= options.window_seconds) {
      current.transfers.push(p);
      current.ts_end = Math.max(current.ts_end, p.finding.ts_end);
    } else {
      const cluster: TransferCluster = { host: p.host, dst, transfers: [p], hostStages: [], ts_start: p.finding.ts_start, ts_end: p.finding.ts_end };
      clusters.push(cluster);
      openCluster.set(key, cluster);
    }
  }

  const clustersByHost = new Map<string, TransferCluster[]>();
  for (const c of clusters) {
    const list = clustersByHost.get(c.host);
    if (list === undefined) clustersByHost.set(c.host, [c]);
    else list.push(c);
  }
  const lone: Placed[] = [];
  for (const s of hostStages) {
    const candidates = (clustersByHost.get(s.host) ?? []).filter(
      (c) => s.finding.ts_start <= c.ts_end && c.ts_start - s.finding.ts_end <= options.window_seconds,
    );
    const chosen = candidates.find((c) => c.transfers.some((t) => sameLineage(t.process, s.process))) ?? candidates[0];
    if (chosen === undefined) lone.push(s);
    else chosen.hostStages.push(s);
  }

  const incidents = clusters.map((c) => chainIncident(c, beacons.get(c.host + '\u0000' + c.dst) ?? [], ctx, options, allow));
  incidents.push(...loneIncidents(lone, options));
  incidents.sort((a, b) => a.ts_start - b.ts_start || (a.id < b.id ? -1 : 1));
  return { incidents, allowed };
}

/** Resolves the host a finding belongs to and, for network findings, the process that made the connection. */
function place(finding: Finding, stage: StageName, ctx: CorrelationContext, options: CorrelateOptions): Placed {
  if (stage === 'encrypt' || stage === 'stage') {
    return { finding, stage, host: finding.host ?? finding.src_ip ?? '?', process: finding.process };
  }
  const srcPort = detail(finding, ['src_port']);
  const attributed = finding.src_ip === undefined || finding.dst_ip === undefined ? undefined : ctx.attribute(
    { src_ip: finding.src_ip, src_port: typeof srcPort === 'number' ? srcPort : undefined, dst_ip: finding.dst_ip, dst_port: finding.dst_port, ts: finding.ts_start },
    options.attribution_tolerance_seconds,
  );
  const named = finding.host !== undefined && isIP(finding.host) === 0 ? finding.host : undefined;
  const ip = finding.src_ip ?? finding.host;
  const host = attributed?.host ?? named ?? (ip === undefined ? undefined : ctx.hostForIp(ip, finding.ts_start)) ?? ip ?? '?';
  return { finding, stage, host, process: finding.process ?? attributed?.process };
}

/** The same process, or one the other started (pid/ppid), by whatever identity both sides carry. */
function sameLineage(a: ProcessRef | undefined, b: ProcessRef | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.guid !== undefined && a.guid === b.guid) return true;
  if (a.pid !== undefined && (a.pid === b.pid || a.pid === b.ppid || a.ppid === b.pid)) return true;
  return false;
}

interface Novelty {
  newDestination: boolean;
  usualSince?: number;
  prevalence: number;
  newProcess: boolean;
}

function novelty(c: TransferCluster, process: ProcessRef | undefined, ctx: CorrelationContext, options: CorrelateOptions): Novelty {
  const hostKeys = [c.host, ...new Set(c.transfers.map((t) => t.finding.src_ip).filter((ip): ip is string => ip !== undefined))];
  const earliest = (values: (number | undefined)[]): number | undefined => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length === 0 ? undefined : Math.min(...known);
  };
  const hostFirst = earliest(hostKeys.map((h) => ctx.hostFirstSeen(h)));
  const prevalence = ctx.prevalence(c.dst);
  const covered = hostFirst !== undefined && c.ts_start - hostFirst >= options.baseline_min_history_seconds;
  if (!covered) return { newDestination: false, prevalence, newProcess: false };
  const pairFirst = earliest(hostKeys.map((h) => ctx.destinationFirstSeen(h, c.dst))) ?? c.ts_start;
  const internal = inAny(parseCidrs(options.internal_networks), c.dst);
  const newDestination = !internal && c.ts_start - pairFirst < options.new_within_seconds && prevalence < options.prevalence_common_hosts;
  const usualSince = c.ts_start - pairFirst >= options.baseline_min_history_seconds ? pairFirst : undefined;
  let newProcess = false;
  if (process?.image !== undefined) {
    const first = earliest(hostKeys.map((h) => ctx.processNetworkFirstSeen(h, process.image!.toLowerCase())));
    newProcess = first !== undefined && c.ts_start - first < options.new_within_seconds && first - hostFirst >= options.baseline_min_history_seconds;
  }
  return { newDestination, usualSince, prevalence, newProcess };
}

function link(c: TransferCluster, bytesOut: number | undefined, ctx: CorrelationContext, options: CorrelateOptions): string | undefined {
  const staged = c.hostStages.filter((s) => s.stage === 'stage');
  for (const s of staged) {
    const size = stagedSize(s.finding);
    if (size !== undefined && bytesOut !== undefined && bytesOut >= size && bytesOut <= size * options.size_ratio_max + options.size_slack_bytes) {
      return `${bytesOut} bytes sent for a ${size}-byte staged file`;
    }
  }
  const names = new Set(staged.map((s) => stagedPath(s.finding)).filter((p): p is string => p !== undefined).map((p) => baseName(p).toLowerCase()));
  if (names.size === 0) return undefined;
  for (const t of c.transfers) {
    const named = detail(t.finding, ['name', 'filename']);
    if (typeof named === 'string' && names.has(baseName(named).toLowerCase())) return `the staged file ${baseName(named)} was seen leaving`;
    const { src_ip, dst_ip } = t.finding;
    if (src_ip === undefined || dst_ip === undefined) continue;
    const seen = ctx.transfers(src_ip, dst_ip, c.ts_start - options.window_seconds, c.ts_end + options.window_seconds);
    const hit = seen.find((x) => names.has(x.name.toLowerCase()));
    if (hit !== undefined) return `the staged file ${hit.name} was seen leaving over ${hit.protocol.toUpperCase()}`;
  }
  return undefined;
}

function stageNote(p: Placed): string {
  const f = p.finding;
  if (p.stage === 'encrypt') return f.process?.command_line ?? f.process?.image ?? f.reason;
  if (p.stage === 'stage') return stagedPath(f) ?? f.reason;
  if (p.stage === 'transfer') return `${f.bytes_out ?? '?'} bytes out to ${f.dst_ip ?? '?'}${f.dst_port === undefined ? '' : ':' + f.dst_port} (${f.analytic})`;
  return f.reason;
}

function toStage(p: Placed): IncidentStage {
  return { stage: p.stage, finding_id: p.finding.id, analytic: p.finding.analytic, ts: p.finding.ts_start, note: stageNote(p) };
}

function evidenceOf(members: readonly Placed[]): Evidence[] {
  return members.flatMap((p) => p.finding.evidence.map((e) => ({ ...e, note: `${p.stage} (${p.finding.analytic}): ${e.note ?? p.finding.reason}` })));
}

function processOf(members: readonly Placed[]): Incident['process'] {
  const withProcess = members.find((m) => m.stage === 'transfer' && m.process !== undefined) ?? members.find((m) => m.process !== undefined);
  if (withProcess?.process === undefined) return undefined;
  const f = withProcess.finding;
  const parentImage = detail(f, ['parent_image']);
  const parentCommand = detail(f, ['parent_command_line']);
  const parent: ProcessRef | undefined = typeof parentImage === 'string' || typeof parentCommand === 'string'
    ? { image: typeof parentImage === 'string' ? parentImage : undefined, command_line: typeof parentCommand === 'string' ? parentCommand : undefined, pid: withProcess.process.ppid }
    : undefined;
  return parent === undefined ? { ...withProcess.process } : { ...withProcess.process, parent };
}

/**
 * Transfer findings that rest on exactly the same records (one flow seen by two analytics, or by one analytic's
 * 1 h and 24 h windows) are one stage of the attack: the riskiest of them stands for the rest.
 */
function distinctTransfers(transfers: readonly Placed[]): Placed[] {
  const byEvidence = new Map<string, Placed>();
  for (const t of transfers) {
    const key = t.finding.evidence.map((e) => `${e.path}\u0000${e.line ?? ''}\u0000${e.offset ?? ''}`).sort().join('\n');
    const kept = byEvidence.get(key);
    if (kept === undefined || t.finding.risk > kept.finding.risk) byEvidence.set(key, t);
  }
  return [...byEvidence.values()];
}

function chainIncident(c: TransferCluster, beacons: readonly Placed[], ctx: CorrelationContext, options: CorrelateOptions, allow: AllowList): Incident {
  const members = [...c.hostStages, ...distinctTransfers(c.transfers)].sort(byTime);
  const transfer = c.transfers[0]!.finding;
  const bytesOut = Math.max(...c.transfers.map((t) => t.finding.bytes_out ?? 0)) || undefined;
  const process = processOf(members);
  const seen = novelty(c, process, ctx, options);
  const linked = link(c, bytesOut, ctx, options);
  const encrypt = c.hostStages.some((s) => s.stage === 'encrypt');
  const stage = c.hostStages.some((s) => s.stage === 'stage');
  const facts: ChainFacts = {
    transfer: true, encrypt, stage, link: linked !== undefined, novelty: seen.newDestination || seen.newProcess,
    memberRisk: Math.max(...members.map((m) => m.finding.risk)),
  };
  const c2 = beacons.length > 0;
  const technique: Technique = c2 ? 'T1041' : encrypt || stage || members.some((m) => m.finding.technique === 'T1048.001') ? 'T1048.001' : transfer.technique;
  const all = [...members, ...beacons].sort(byTime);
  const where = `${c.dst}${transfer.dst_port === undefined ? '' : ':' + transfer.dst_port}`;
  const parts: string[] = [];
  const firstEncrypt = c.hostStages.find((s) => s.stage === 'encrypt');
  const firstStage = c.hostStages.find((s) => s.stage === 'stage');
  if (firstEncrypt !== undefined) parts.push(`ran ${stageNote(firstEncrypt)}`);
  if (firstStage !== undefined) parts.push(`staged ${stageNote(firstStage)}`);
  parts.push(`sent ${bytesOut ?? 'an unknown number of'} bytes to ${where}` + (seen.newDestination ? ', a destination it had not talked to before' : ''));
  let reason = `${c.host} ${parts.join(', then ')}`;
  if (linked !== undefined) reason += `; ${linked}`;
  if (seen.newProcess && process?.image !== undefined) reason += `; ${process.image} had never used the network before`;
  if (c2) reason += `; ${c.dst} is this host's beaconing C2 peer, so this is exfiltration over the C2 channel (T1041), not T1048`;
  reason += '.';
  const suppressedBy = process === undefined ? undefined : allow.matchProcess(process);
  let suppressed = suppressedBy === undefined ? undefined : describeAllow(suppressedBy);
  if (suppressed === undefined && options.suppress_usual_destinations && seen.usualSince !== undefined && !seen.newProcess && !c2) {
    suppressed = `usual destination: ${c.host} has talked to ${c.dst} since ${new Date(seen.usualSince * 1000).toISOString()}`;
  }
  return {
    id: incidentId(c.host, c.dst, transfer.id),
    ts_start: Math.min(...all.map((m) => m.finding.ts_start)),
    ts_end: Math.max(...all.map((m) => m.finding.ts_end)),
    technique,
    risk: incidentRisk(facts),
    host: c.host,
    src_ip: transfer.src_ip,
    dst_ip: transfer.dst_ip,
    dst_port: transfer.dst_port,
    process,
    stages: all.map(toStage),
    reason,
    evidence: evidenceOf(all),
    ...(suppressed === undefined ? {} : { suppressed }),
  };
}

/** Encryption runs and staged files with no transfer after them: one incident per host and window, scored lower. */
function loneIncidents(lone: readonly Placed[], options: CorrelateOptions): Incident[] {
  const groups: Placed[][] = [];
  const open = new Map<string, Placed[]>();
  for (const p of lone) {
    const current = open.get(p.host);
    const last = current?.[current.length - 1];
    if (current !== undefined && last !== undefined && p.finding.ts_start - last.finding.ts_end <= options.window_seconds) current.push(p);
    else {
      const group = [p];
      groups.push(group);
      open.set(p.host, group);
    }
  }
  return groups.map((members) => {
    const first = members[0]!;
    const encrypt = members.find((m) => m.stage === 'encrypt');
    const stage = members.find((m) => m.stage === 'stage');
    const top = members.reduce((a, b) => (b.finding.risk > a.finding.risk ? b : a));
    const what = [encrypt && `ran ${stageNote(encrypt)}`, stage && `staged ${stageNote(stage)}`].filter(Boolean).join(' and ');
    return {
      id: incidentId(first.host, '', first.finding.id),
      ts_start: first.finding.ts_start,
      ts_end: Math.max(...members.map((m) => m.finding.ts_end)),
      technique: top.finding.technique,
      risk: incidentRisk({ transfer: false, encrypt: encrypt !== undefined, stage: stage !== undefined, link: false, novelty: false, memberRisk: top.finding.risk }),
      host: first.host,
      process: processOf(members),
      stages: members.map(toStage),
      reason: `${first.host} ${what}, but no outbound transfer was seen within ${options.window_seconds / 3600} h after it.`,
      evidence: evidenceOf(members),
    };
  });
}
