// Elastic Common Schema alerts, one JSON object per line, for shipping findings into Elastic or any ECS consumer.
import type { Finding } from '../core/findings.js';
import { TECHNIQUE_NAMES } from './techniques.js';

export function ecsRecord(f: Finding): Record<string, unknown> {
  const bytes = (f.bytes_out ?? 0) + (f.bytes_in ?? 0);
  return {
    '@timestamp': new Date(f.ts_start * 1000).toISOString(),
    event: {
      kind: 'alert',
      category: ['network'],
      id: f.id,
      start: new Date(f.ts_start * 1000).toISOString(),
      end: new Date(f.ts_end * 1000).toISOString(),
      risk_score: f.risk * 10,
      reason: f.reason,
    },
    rule: { name: f.analytic },
    threat: {
      framework: 'MITRE ATT&CK',
      technique: { id: f.technique, name: TECHNIQUE_NAMES[f.technique] },
    },
    host: f.host === undefined ? undefined : { name: f.host },
    source: f.src_ip === undefined ? undefined : { ip: f.src_ip, bytes: f.bytes_out },
    destination: f.dst_ip === undefined ? undefined : { ip: f.dst_ip, port: f.dst_port, bytes: f.bytes_in },
    network: { transport: f.proto, bytes: bytes > 0 ? bytes : undefined },
    process: f.process === undefined ? undefined : {
      pid: f.process.pid,
      executable: f.process.image,
      command_line: f.process.command_line,
      entity_id: f.process.guid,
    },
    exfilscope: { evidence: f.evidence, details: f.details },
  };
}
