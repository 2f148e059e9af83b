// Constructed runs for the report and export tests, the screenshot and the scale benchmark: a small sample
// run that looks like a real hunt, a hostile run carrying given payloads in every displayed field, and a
// generated run of any size. Deterministic: the same call yields the same run.
import { deflateSync } from 'node:zlib';
import { AnomalyCounter } from '../src/core/anomalies.js';
import type { Event } from '../src/core/events.js';
import { compareFindings, findingId, type Finding, type Technique } from '../src/core/findings.js';
import { newInputHealth, type RunSummary } from '../src/core/health.js';
import { ReportCollector } from '../src/sinks/html-report/collect.js';
import type { ReportInput } from '../src/sinks/html-report/model.js';
import { prng } from './prng.js';

function randomBytes(random: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  return out;
}

const T0 = Date.UTC(2026, 2, 14, 9, 0, 0) / 1000;

function summaryOf(findings: readonly Finding[], inputs = [newInputHealth('capture/office-2026-03-14.pcapng')]): RunSummary {
  const byAnalytic = new Map<string, number>();
  for (const f of findings) byAnalytic.set(f.analytic, (byAnalytic.get(f.analytic) ?? 0) + 1);
  const detectorLimits = new AnomalyCounter();
  detectorLimits.add('seed-alt-protocol-volume.max_tracked_flows', undefined, 12);
  return { inputs, findingsByAnalytic: byAnalytic, detectorLimits, elapsed: 3.42 };
}

function report(findings: Finding[], events: Event[], summary: RunSummary): ReportInput {
  const collector = new ReportCollector();
  collector.add(events);
  return {
    summary,
    findings: [...findings].sort(compareFindings),
    aggregates: collector.snapshot(),
    generatedAt: new Date(Date.UTC(2026, 2, 14, 12, 0, 0)),
    version: '0.1.0',
  };
}

function finding(partial: Omit<Finding, 'id'>): Finding {
  return { id: findingId(partial.analytic, [partial.host, partial.dst_ip, partial.reason], partial.ts_start), ...partial };
}

/** A run resembling a small office capture: steady web traffic, one host pushing encrypted data out over DNS and FTP. */
export function sampleRun(): ReportInput {
  const random = prng(7);
  const events: Event[] = [];
  const hosts = ['10.1.0.11', '10.1.0.12', '10.1.0.23', '10.1.0.42'];
  const webDestinations = ['198.51.100.10', '198.51.100.20', '203.0.113.80', '192.0.2.15', '198.51.100.77'];
  const source = (line: number) => ({ reader: 'zeek', path: 'zeek/conn.log', line });
  for (let i = 0; i < 600; i++) {
    const ts = T0 + i * 12 + random() * 10;
    const src = hosts[i % hosts.length]!;
    const dst = webDestinations[Math.floor(random() * webDestinations.length)]!;
    events.push({ kind: 'flow', ts, source: source(i + 1), src_ip: src, src_port: 40000 + i, dst_ip: dst, dst_port: 443, proto: 'tcp',
      bytes_out: Math.floor(800 + random() * 4000), bytes_in: Math.floor(20000 + random() * 400000) });
  }
  for (let i = 0; i < 120; i++) {
    const ts = T0 + 3600 + i * 20;
    events.push({ kind: 'flow', ts, source: source(700 + i), src_ip: '10.1.0.42', src_port: 53000 + i, dst_ip: '203.0.113.53', dst_port: 53, proto: 'udp',
      bytes_out: Math.floor(180000 + random() * 60000), bytes_in: Math.floor(2000 + random() * 500) });
  }
  events.push({ kind: 'flow', ts: T0 + 5400, source: source(900), src_ip: '10.1.0.42', src_port: 50100, dst_ip: '192.0.2.21', dst_port: 21, proto: 'tcp', bytes_out: 48_000_000, bytes_in: 9_000 });
  const text = new TextEncoder().encode(Array.from({ length: 4000 }, (_, i) => `customer ${(i * 7919) % 10007}, balance ${(i * 104729) % 99991}`).join('\n'));
  for (let i = 0; i < 90; i++) {
    const endpoints = { src_ip: '10.1.0.42', src_port: 53000 + i, dst_ip: '203.0.113.53', dst_port: 53 };
    const kind = i % 3;
    const bytes = kind === 0 ? randomBytes(random, 2048 + Math.floor(random() * 2048))
      : kind === 1 ? deflateSync(text.subarray(i * 200)).subarray(0, 4096)
      : new TextEncoder().encode(Buffer.from(randomBytes(random, 900)).toString('base64'));
    events.push({ kind: 'payload', ts: T0 + 3600 + i * 25, source: source(1000 + i), ...endpoints, protocol: kind === 2 ? 'http' : 'dns',
      context: kind === 2 ? 'http.request_body' : 'dns.qname', direction: 'out', sample: { bytes, total: bytes.length } });
  }
  const findings: Finding[] = [
    finding({ technique: 'T1048.001', analytic: 'alt-protocol-volume', risk: 9, ts_start: T0 + 3600, ts_end: T0 + 6000, host: 'WS-FIN-042',
      src_ip: '10.1.0.42', dst_ip: '203.0.113.53', dst_port: 53, proto: 'udp', bytes_out: 25_300_000, bytes_in: 290_000,
      reason: '120 DNS flows from 10.1.0.42 to 203.0.113.53:53 sent 25.3 MB (count ≥ 3 and total > 10 MB)',
      evidence: [{ reader: 'zeek', path: 'zeek/conn.log', line: 700, note: 'first flow' }, { reader: 'zeek', path: 'zeek/conn.log', line: 819, note: 'last flow' }],
      details: { flows: 120, total_bytes: 25_300_000 } }),
    finding({ technique: 'T1048.001', analytic: 'encoded-payload', risk: 8, ts_start: T0 + 3610, ts_end: T0 + 3700, host: 'WS-FIN-042',
      src_ip: '10.1.0.42', dst_ip: '203.0.113.53', dst_port: 53, proto: 'udp',
      reason: 'DNS query names carry 63-character Base64 labels with entropy 7.98 bits/byte',
      evidence: [{ reader: 'zeek', path: 'zeek/dns.log', line: 42, note: 'qname' }],
      details: { query: 'q2VjcmV0LWRhdGEtY2h1bmstMDAx.ZXhmaWwtc3RhZ2Uy.t.example.net', entropy: 7.98 } }),
    finding({ technique: 'T1048.001', analytic: 'alt-protocol-volume', risk: 8, ts_start: T0 + 5400, ts_end: T0 + 5460, host: 'WS-FIN-042',
      src_ip: '10.1.0.42', dst_ip: '192.0.2.21', dst_port: 21, proto: 'tcp', bytes_out: 48_000_000, bytes_in: 9_000,
      reason: 'FTP upload of 48.0 MB to 192.0.2.21:21 (bytes_out > 10 MB)',
      evidence: [{ reader: 'zeek', path: 'zeek/conn.log', line: 900 }], details: { file: 'q1-report.7z.enc' } }),
    finding({ technique: 'T1560', analytic: 'encryption-tool', risk: 9, ts_start: T0 + 3300, ts_end: T0 + 3300, host: 'WS-FIN-042',
      process: { pid: 4242, image: '/usr/bin/openssl', command_line: 'openssl enc -aes-256-cbc -salt -in q1-report.7z -out q1-report.7z.enc -pass env:K', user: 'jdoe' },
      reason: 'openssl enc -aes-256-cbc run by jdoe before outbound transfers', evidence: [{ reader: 'auditd', path: 'audit/audit.log', line: 5531, note: 'execve' }] }),
    finding({ technique: 'T1074', analytic: 'encrypted-file-staging', risk: 7, ts_start: T0 + 3320, ts_end: T0 + 3320, host: 'WS-FIN-042',
      reason: 'File with encrypted-file extension .enc created in /tmp', evidence: [{ reader: 'auditd', path: 'audit/audit.log', line: 5540 }],
      details: { path: '/tmp/q1-report.7z.enc' } }),
    finding({ technique: 'T1048.003', analytic: 'encoded-payload', risk: 5, ts_start: T0 + 900, ts_end: T0 + 905, host: 'WS-HR-011',
      src_ip: '10.1.0.11', dst_ip: '198.51.100.20', dst_port: 80, proto: 'tcp',
      reason: 'HTTP POST body of 6.1 kB with a 5 200-character Base64 run', evidence: [{ reader: 'zeek', path: 'zeek/http.log', line: 118 }],
      details: { uri: 'http://upload.example.org/api/v2/sync', user_agent: 'python-requests/2.31' } }),
  ];
  const inputs = ['zeek/conn.log', 'zeek/dns.log', 'zeek/http.log', 'audit/audit.log'].map((path, i) => {
    const health = newInputHealth(path, true);
    health.format = i === 3 ? 'auditd' : 'zeek';
    health.bytes = 1_000_000 + i * 250_000;
    health.records = 900 + i * 100;
    health.events = 880 + i * 100;
    return health;
  });
  inputs[1]!.anomalies.add('zeek.bad_line', { line: 311, detail: 'expected 23 fields, found 7' }, 2);
  inputs[3]!.notes.push('record types other than EXECVE, OPEN and CONNECT skipped');
  return report(findings, events, summaryOf(findings, inputs));
}

/** The fields a hostile payload is placed in, as the report displays them. */
export const HOSTILE_DETAIL_KEYS = ['uri', 'host_header', 'user_agent', 'referrer', 'dns_query', 'command_line', 'file_name', 'tls_server_name'];

/** One finding and its events per payload, the payload in every displayed field; the summary carries them too. */
export function hostileRun(payloads: readonly string[]): ReportInput {
  const events: Event[] = [];
  const findings = payloads.map((p, i): Finding => {
    const source = { reader: 'zeek', path: p, line: i + 1 };
    const endpoints = { src_ip: p, src_port: 40000 + i, dst_ip: p, dst_port: 80 };
    events.push({ kind: 'flow', ts: T0 + i, source, ...endpoints, proto: 'tcp', bytes_out: 1000 * (i + 1), bytes_in: 10 });
    const bytes = new TextEncoder().encode(p.slice(0, 4096).padEnd(300, '='));
    events.push({ kind: 'payload', ts: T0 + i, source, ...endpoints, protocol: 'http', context: p, direction: 'out', sample: { bytes, total: bytes.length } });
    return {
      id: findingId('hostile', [i], T0 + i), technique: 'T1048.001', analytic: 'hostile-strings', risk: 1 + (i % 10),
      ts_start: T0 + i, ts_end: T0 + i + 1, host: p, src_ip: p, dst_ip: p, dst_port: 80, proto: 'tcp', bytes_out: 1000, bytes_in: 10,
      process: { pid: i, image: p, command_line: p, user: p, guid: p },
      reason: p,
      evidence: [{ reader: 'zeek', path: p, line: i + 1, note: p }],
      details: { ...Object.fromEntries(HOSTILE_DETAIL_KEYS.map((k) => [k, p])), answers: [p, 'ok'] },
    };
  });
  const health = newInputHealth(payloads[0] ?? 'input', false);
  health.format = 'zeek';
  payloads.forEach((p, i) => {
    health.anomalies.add('zeek.bad_line', { line: i + 1, detail: p });
    health.notes.push(p);
  });
  const failed = newInputHealth(payloads[1] ?? 'failed', false);
  failed.error = payloads[2] ?? 'error';
  return report(findings, events, summaryOf(findings, [health, failed]));
}

const ANALYTICS: { analytic: string; technique: Technique }[] = [
  { analytic: 'alt-protocol-volume', technique: 'T1048.001' },
  { analytic: 'encoded-payload', technique: 'T1048.001' },
  { analytic: 'encryption-tool', technique: 'T1560' },
  { analytic: 'encrypted-file-staging', technique: 'T1074' },
  { analytic: 'flow-asymmetry', technique: 'T1048' },
];

/** `count` findings over 500 hosts and 5 000 destinations, with events for the charts: the scale test's run. */
export function generatedRun(count: number): ReportInput {
  const random = prng(42);
  const findings: Finding[] = [];
  const events: Event[] = [];
  for (let i = 0; i < count; i++) {
    const { analytic, technique } = ANALYTICS[i % ANALYTICS.length]!;
    const host = `10.${(i >> 8) % 2}.${(i % 250) + 1}.${(i * 7) % 250}`;
    const hostName = `ws-${(i * 31) % 500}`;
    const dst = `198.51.${Math.floor(random() * 20)}.${Math.floor(random() * 250)}`;
    const port = [21, 25, 53, 445, 587][i % 5]!;
    const out = Math.floor(random() * 200_000_000);
    const ts = T0 + i * 3;
    findings.push({
      id: findingId(analytic, [hostName, dst, port], ts), technique, analytic, risk: 1 + Math.floor(random() * 10),
      ts_start: ts, ts_end: ts + 60, host: hostName, src_ip: host, dst_ip: dst, dst_port: port, proto: 'tcp', bytes_out: out, bytes_in: 2000,
      reason: `${(out / 1e6).toFixed(1)} MB from ${host} to ${dst}:${port} in ${3 + (i % 9)} connections`,
      evidence: [{ reader: 'zeek', path: 'zeek/conn.log', line: i * 2 + 1 }, { reader: 'zeek', path: 'zeek/conn.log', line: i * 2 + 2 }],
    });
    if (i % 10 === 0) {
      events.push({ kind: 'flow', ts, source: { reader: 'zeek', path: 'zeek/conn.log', line: i }, src_ip: host, src_port: 40000, dst_ip: dst, dst_port: port, proto: 'tcp', bytes_out: out, bytes_in: 2000 });
    }
  }
  return report(findings, events, summaryOf(findings));
}
