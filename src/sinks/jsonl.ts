// JSON lines: one object per line through the serializer only, so no value can forge a line.
import type { Finding } from '../core/findings.js';
import type { Incident } from '../core/incidents.js';

/**
 * Renders byte arrays as base64 so binary samples survive JSON. A Buffer's own toJSON runs before the replacer
 * (turning it into `{type: 'Buffer', data: [...]}`), so the holder's original value is the one looked at.
 */
function jsonReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Uint8Array) return { base64: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') };
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, jsonReplacer) + '\n';
}

/** The finding as exported: fixed field order so diffs of two runs are readable. */
export function findingRecord(f: Finding): Record<string, unknown> {
  return {
    id: f.id,
    ts_start: f.ts_start,
    ts_end: f.ts_end,
    technique: f.technique,
    analytic: f.analytic,
    risk: f.risk,
    host: f.host,
    src_ip: f.src_ip,
    dst_ip: f.dst_ip,
    dst_port: f.dst_port,
    proto: f.proto,
    bytes_out: f.bytes_out,
    bytes_in: f.bytes_in,
    process: f.process,
    reason: f.reason,
    evidence: f.evidence,
    details: f.details,
  };
}

/** The incident as exported: the documented fields in a fixed order. */
export function incidentRecord(i: Incident): Record<string, unknown> {
  return {
    id: i.id,
    ts_start: i.ts_start,
    ts_end: i.ts_end,
    technique: i.technique,
    risk: i.risk,
    host: i.host,
    src_ip: i.src_ip,
    dst_ip: i.dst_ip,
    dst_port: i.dst_port,
    process: i.process,
    stages: i.stages,
    reason: i.reason,
    evidence: i.evidence,
    suppressed: i.suppressed,
  };
}
