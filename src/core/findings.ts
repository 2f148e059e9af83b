// Findings: one stage of an attack, emitted by one analytic, with the evidence that shows it.
import { createHash } from 'node:crypto';
import type { ProcessRef, Proto, Source } from './events.js';

/** ATT&CK techniques a finding can name; T1048.001 is the one exfilscope exists for. */
/** T1041 (exfiltration over the C2 channel) is what a transfer to a host's beaconing peer is, rather than T1048. */
export type Technique = 'T1048' | 'T1048.001' | 'T1048.002' | 'T1048.003' | 'T1027' | 'T1560' | 'T1074' | 'T1041';

export interface Evidence extends Source {
  /** What this piece of evidence shows, in a few words. */
  note?: string;
}

export interface Finding {
  id: string;
  technique: Technique;
  analytic: string;
  /** 0 (informational) to 10 (certain and severe). */
  risk: number;
  ts_start: number;
  ts_end: number;
  host?: string;
  src_ip?: string;
  dst_ip?: string;
  dst_port?: number;
  proto?: Proto;
  bytes_out?: number;
  bytes_in?: number;
  process?: ProcessRef;
  reason: string;
  evidence: Evidence[];
  /** Analytic-specific measurements (entropy, run lengths, counts) kept for reports and exports. */
  details?: Record<string, string | number | boolean | string[]>;
}

/**
 * A finding's ID is a hash of what it is about, so the same input always yields the same IDs
 * and a re-run or a restart never duplicates a finding.
 */
export function findingId(analytic: string, entity: readonly (string | number | undefined)[], windowStart: number): string {
  const h = createHash('sha256');
  h.update(analytic);
  for (const part of entity) h.update('\u0000' + (part === undefined ? '' : String(part)));
  h.update('\u0000' + windowStart.toFixed(6));
  return h.digest('hex').slice(0, 24);
}

/** Orders findings for people: riskiest first, then earliest, then by ID so output is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return b.risk - a.risk || a.ts_start - b.ts_start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
