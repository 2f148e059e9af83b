// Incidents: the stages of one exfiltration (encrypt → stage → transfer) joined across findings, scored and
// explained. Built by src/correlate/, kept by src/store/, written by the sinks.
import { createHash } from 'node:crypto';
import type { Evidence, Technique } from './findings.js';
import type { ProcessRef } from './events.js';

/** The part a finding plays in an exfiltration chain. */
export type StageName = 'encrypt' | 'stage' | 'transfer' | 'beacon';

export interface IncidentStage {
  stage: StageName;
  finding_id: string;
  analytic: string;
  ts: number;
  /** What this stage shows, in a few words (e.g. the command run, the file staged, the bytes sent). */
  note: string;
}

export interface Incident {
  id: string;
  ts_start: number;
  ts_end: number;
  /** T1048.001 for a chain to a non-C2 destination; T1041 when the destination is the host's C2 peer. */
  technique: Technique;
  /** 0 to 10, from the documented weights in src/correlate/score.ts. */
  risk: number;
  host?: string;
  src_ip?: string;
  dst_ip?: string;
  dst_port?: number;
  /** The process that ran the stages or sent the bytes, when host telemetry names it. */
  process?: ProcessRef & { parent?: ProcessRef };
  stages: IncidentStage[];
  /** One sentence saying why this is an incident and how sure we are. */
  reason: string;
  /** Every piece of evidence of every finding joined, in stage order. */
  evidence: Evidence[];
  /** Set when a baseline or allow-list rule explains the incident away; kept for audit, hidden by default. */
  suppressed?: string;
}

/**
 * Incident IDs hash the host, the destination and the finding that anchors the incident (its first transfer, or
 * its first stage when nothing left), so the same findings give the same ID however often they are correlated.
 */
export function incidentId(host: string, destination: string, anchorFindingId: string): string {
  return createHash('sha256').update(['incident', host, destination, anchorFindingId].join('\u0000')).digest('hex').slice(0, 24);
}
