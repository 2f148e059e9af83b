// Writes samples/: a small, deterministic day of Zeek logs from a made-up office network (10.20.0.0/16) in
// which one workstation exfiltrates — Base64-encoded ciphertext in HTTP URIs and large FTP uploads — among
// ordinary web, DNS, mail and file-server traffic. Run with `npm run samples`; output is identical every run.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONN_COLUMNS, HTTP_COLUMNS, conn, httpRequest, zeekTsv } from '../test/zeek-fixtures.js';

const out = join(import.meta.dirname, '..', 'samples');
const DAY = 1_767_258_000; // 2026-01-01T09:00:00Z
const MB = 1_000_000;

/** Deterministic pseudo-random bytes: SHA-256 in counter mode over a label. */
function bytes(label: string, n: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < n; i++) chunks.push(createHash('sha256').update(`${label}:${i}`).digest());
  return Buffer.concat(chunks).subarray(0, n);
}

function pick<T>(label: string, items: readonly T[]): T {
  return items[bytes(label, 4).readUInt32BE(0) % items.length]!;
}

const workstations = Array.from({ length: 12 }, (_, i) => `10.20.1.${10 + i}`);
const exfilHost = '10.20.1.17';
const sites = [
  ['93.184.215.14', 'www.example.com'], ['151.101.1.69', 'news.example.net'], ['142.250.74.46', 'search.example.org'],
  ['185.199.108.153', 'docs.example.io'], ['104.16.132.229', 'cdn.example.com'],
] as const;
const dropHost = '203.0.113.66';
const ftpDrop = '198.51.100.23';

const connRows: ReturnType<typeof conn>[] = [];
const httpRows: ReturnType<typeof httpRequest>[] = [];

// Ordinary browsing: small requests out, bigger responses in.
for (let i = 0; i < 400; i++) {
  const host = pick(`ws${i}`, workstations);
  const [ip, name] = pick(`site${i}`, sites);
  const ts = DAY + i * 61;
  connRows.push(conn(ts, host, ip, 443, 900 + (i % 7) * 120, 40_000 + (i % 13) * 9_000));
  if (i % 4 === 0) {
    connRows.push(conn(ts + 1, host, ip, 80, 520, 18_000));
    httpRows.push(httpRequest(ts + 1, host, ip, 'GET', name, `/articles/${2026 + (i % 3)}/${i}/index.html?ref=home&page=${i % 9}`, 0, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'));
  }
}
// DNS and mail: many small exchanges.
for (let i = 0; i < 200; i++) connRows.push({ ...conn(DAY + i * 120, pick(`dns${i}`, workstations), '10.20.0.53', 53, 64, 180), proto: 'udp', service: 'dns', conn_state: 'SF', history: 'Dd' });
for (let i = 0; i < 20; i++) connRows.push(conn(DAY + i * 1400, pick(`mail${i}`, workstations), '10.20.0.25', 25, 60_000, 2_000));
// Nightly-style copies to the internal file server: big, but only two of them (below the seed's count of 3).
connRows.push(conn(DAY + 3_600, '10.20.1.12', '10.20.0.40', 445, 180 * MB, 2 * MB));
connRows.push(conn(DAY + 5_400, '10.20.1.12', '10.20.0.40', 445, 95 * MB, 1 * MB));

// The exfiltration: AES ciphertext, Base64-encoded, in the query string of many GETs to one server…
for (let i = 0; i < 25; i++) {
  const ts = DAY + 7_200 + i * 45;
  const chunk = bytes(`exfil${i}`, 180).toString('base64');
  connRows.push(conn(ts, exfilHost, dropHost, 80, 560, 300));
  httpRows.push(httpRequest(ts, exfilHost, dropHost, 'GET', 'updates.example-cdn.net', `/v2/telemetry?id=${i}&blob=${encodeURIComponent(chunk)}`, 0, 'Mozilla/5.0'));
}
// …a POST of a 48 kB Base64 body (Zeek shows its length; the URI carries the session token)…
httpRows.push(httpRequest(DAY + 8_500, exfilHost, dropHost, 'POST', 'updates.example-cdn.net', `/v2/upload?session=${bytes('session', 96).toString('base64').replace(/[+/=]/g, 'A')}`, 48_000, 'Mozilla/5.0'));
connRows.push(conn(DAY + 8_500, exfilHost, dropHost, 80, 48_400, 300));
// …and the staged archive (`openssl enc` output) uploaded over FTP in four parts.
for (let i = 0; i < 4; i++) connRows.push({ ...conn(DAY + 9_000 + i * 700, exfilHost, ftpDrop, 21, 38 * MB + i * 1_234_567, 4_000), service: 'ftp' });

connRows.sort((a, b) => Number(a.ts) - Number(b.ts));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'conn.log'), zeekTsv('conn', CONN_COLUMNS, connRows));
// The same HTTP log as Zeek JSON lines, gzipped, as sites that ship logs to a SIEM keep them.
const httpJson = httpRows.map((row) => JSON.stringify({ ...row, ts: Number(row.ts) })).join('\n') + '\n';
writeFileSync(join(out, 'http.json.log.gz'), gzipSync(httpJson, { level: 9, mtime: 0 } as never));
process.stdout.write(`wrote ${connRows.length} conn rows and ${httpRows.length} http rows to ${out}\n`);
