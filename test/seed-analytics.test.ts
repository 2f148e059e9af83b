// End to end: Zeek logs in, findings out — each seed network analytic fires exactly where the seed says and
// not on the near-misses (9.9 MB, port 443, a 99-character Base64 run, 2 connections instead of 3).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hunt, tempDir } from './harness.js';
import { CONN_COLUMNS, HTTP_COLUMNS, conn, httpRequest, zeekTsv } from './zeek-fixtures.js';

const MB = 1_000_000;
const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z, the start of a window

function base64(chars: number): string {
  return randomBytes(chars).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, chars);
}

async function huntConn(rows: ReturnType<typeof conn>[]) {
  const dir = tempDir({ 'conn.log': zeekTsv('conn', CONN_COLUMNS, rows) });
  return (await hunt([dir])).findings.filter((f) => f.analytic === 'seed-alt-protocol-volume');
}

async function huntHttp(rows: ReturnType<typeof httpRequest>[]) {
  const dir = tempDir({ 'http.log': zeekTsv('http', HTTP_COLUMNS, rows) });
  return (await hunt([dir])).findings.filter((f) => f.analytic === 'seed-encoded-payload');
}

describe('seed-alt-protocol-volume (seed analytic 4)', () => {
  it('fires on three 20 MB FTP uploads within the window, risk 8', async () => {
    const findings = await huntConn([0, 600, 1200].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 21, 20 * MB)));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      risk: 8, technique: 'T1048.001', src_ip: '10.1.1.5', dst_ip: '198.51.100.7', dst_port: 21, bytes_out: 60 * MB,
      ts_start: T0, ts_end: T0 + 1200,
    });
    expect(findings[0]!.evidence.map((e) => e.line)).toEqual([9, 10, 11]);
    expect(findings[0]!.reason).toBe('10.1.1.5 sent 60.0 MB to 198.51.100.7:21 in 3 connections of more than 10 MB each within 1200 s');
  });

  it('scores risk 9 above 100 MB', async () => {
    const findings = await huntConn([0, 10, 20].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 445, 40 * MB)));
    expect(findings.map((f) => f.risk)).toEqual([9]);
  });

  it('does not fire on 9.9 MB connections, however many', async () => {
    expect(await huntConn([0, 1, 2, 3, 4, 5, 6, 7].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 21, 9.9 * MB)))).toEqual([]);
  });

  it('does not fire on port 443', async () => {
    expect(await huntConn([0, 1, 2].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 443, 40 * MB)))).toEqual([]);
  });

  it('does not fire on two connections instead of three', async () => {
    expect(await huntConn([0, 1].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 25, 40 * MB)))).toEqual([]);
  });

  it('does not fire when the total stays at 50 MB or below', async () => {
    expect(await huntConn([0, 1, 2].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 21, 16 * MB)))).toEqual([]);
  });

  it('does not join connections farther apart than the window', async () => {
    expect(await huntConn([0, 4000, 8000].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 21, 40 * MB)))).toEqual([]);
  });

  it('keeps hosts and destinations apart', async () => {
    const rows = [conn(T0, '10.1.1.5', '198.51.100.7', 21, 30 * MB), conn(T0 + 1, '10.1.1.6', '198.51.100.7', 21, 30 * MB), conn(T0 + 2, '10.1.1.5', '198.51.100.8', 21, 30 * MB)];
    expect(await huntConn(rows)).toEqual([]);
  });

  it('gives the same finding IDs on every run', async () => {
    const rows = [0, 10, 20].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 21, 20 * MB));
    const a = await huntConn(rows);
    const b = await huntConn(rows);
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
    expect(a[0]!.id).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('seed-encoded-payload (seed analytic 1)', () => {
  it('fires on a long URI with a 100-character Base64 run, at the URI-only risk', async () => {
    const uri = '/api/upload?' + base64(100) + '&pad=' + '.'.repeat(120);
    const findings = await huntHttp([httpRequest(T0, '10.1.1.5', '203.0.113.20', 'GET', 'cdn.example', uri)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ risk: 7, src_ip: '10.1.1.5', dst_ip: '203.0.113.20', dst_port: 80, technique: 'T1048.001' });
    expect(findings[0]!.details).toMatchObject({ longest_base64_run: 100, run_in: 'URI', requests: 1, http_host: 'cdn.example' });
  });

  it('does not fire on a 99-character run', async () => {
    const uri = '/api/upload?' + base64(99) + '&pad=' + '.'.repeat(120);
    expect(await huntHttp([httpRequest(T0, '10.1.1.5', '203.0.113.20', 'GET', 'cdn.example', uri)])).toEqual([]);
  });

  it('needs a URI longer than 200 characters or a body over 5000 bytes', async () => {
    const uri = ('/u?' + base64(150)).padEnd(200, '.');
    expect(uri.length).toBe(200);
    expect(await huntHttp([httpRequest(T0, '10.1.1.5', '203.0.113.20', 'GET', 'a.example', uri, 5000)])).toEqual([]);
  });

  it('scores by body length: 8 above 5000 bytes, 9 above 10000', async () => {
    const uri = '/u?' + base64(120);
    const findings = await huntHttp([
      httpRequest(T0, '10.1.1.5', '203.0.113.20', 'POST', 'a.example', uri, 6000),
      httpRequest(T0, '10.1.1.6', '203.0.113.20', 'POST', 'a.example', uri, 12000),
    ]);
    expect(findings.map((f) => [f.src_ip, f.risk]).sort()).toEqual([['10.1.1.5', 8], ['10.1.1.6', 9]]);
  });

  it('groups a tunnel of many requests into one finding per window', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => httpRequest(T0 + i * 30, '10.1.1.5', '203.0.113.20', 'GET', 'a.example', '/q?' + base64(180) + '&' + '.'.repeat(30)));
    const findings = await huntHttp(rows);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.details?.requests).toBe(40);
    expect(findings[0]!.evidence).toHaveLength(20);
    expect(findings[0]!.ts_end - findings[0]!.ts_start).toBe(39 * 30);
  });
});

describe('detector state caps', () => {
  it('evaluates the oldest key early when max_keys is hit, counts it, and still reports both', async () => {
    const rows = [
      ...[0, 1, 2].map((dt) => conn(T0 + dt, '10.1.1.5', '198.51.100.7', 21, 20 * MB)),
      ...[3, 4, 5].map((dt) => conn(T0 + dt, '10.1.1.6', '198.51.100.7', 21, 20 * MB)),
    ];
    const dir = tempDir({ 'conn.log': zeekTsv('conn', CONN_COLUMNS, rows) });
    const { findings, summary } = await hunt([dir], { detectors: { 'seed-alt-protocol-volume': { max_keys: 1 } } });
    expect(findings.filter((f) => f.analytic === 'seed-alt-protocol-volume').map((f) => f.src_ip).sort()).toEqual(['10.1.1.5', '10.1.1.6']);
    expect(summary.detectorLimits.count('seed-alt-protocol-volume.max_keys')).toBe(1);
  });

  it('reports the oldest group early when max_groups is hit', async () => {
    const uri = '/u?' + base64(150) + '&' + '.'.repeat(80);
    const rows = ['10.1.1.5', '10.1.1.6', '10.1.1.7'].map((src) => httpRequest(T0, src, '203.0.113.20', 'GET', 'a.example', uri));
    const dir = tempDir({ 'http.log': zeekTsv('http', HTTP_COLUMNS, rows) });
    const { findings, summary } = await hunt([dir], { detectors: { 'seed-encoded-payload': { max_groups: 2 } } });
    expect(findings.filter((f) => f.analytic === 'seed-encoded-payload')).toHaveLength(3);
    expect(summary.detectorLimits.count('seed-encoded-payload.max_groups')).toBe(1);
  });

  it('rejects unknown config keys with a clear message', async () => {
    await expect(hunt([], { detectors: { 'seed-encoded-payload': { min_uri_lenght: 5 } } })).rejects.toThrow(/detectors\.seed-encoded-payload: Unrecognized key: "min_uri_lenght"/);
  });
});

describe('seed-encoded-payload technique from evidence', () => {
  async function techniqueOf(body: Buffer) {
    const { runDetector, httpEvent } = await import('./events.js');
    const { seedEncodedPayload } = await import('../src/detectors/seed-encoded-payload/index.js');
    const findings = runDetector(seedEncodedPayload, [httpEvent({ method: 'POST', uri: '/api/v1/upload', request_body_len: body.length, request_body: { bytes: body, total: body.length } })]);
    return findings.map((f) => f.technique);
  }

  it('keeps T1048.001 when the Base64 body decodes to ciphertext', async () => {
    const body = Buffer.from(JSON.stringify({ blob: randomBytes(9000).toString('base64') }));
    expect(await techniqueOf(body)).toEqual(['T1048.001']);
  });

  it('says T1048.003 when the Base64 body decodes to an image', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(9000)]);
    const body = Buffer.from(JSON.stringify({ avatar: png.toString('base64') }));
    expect(await techniqueOf(body)).toEqual(['T1048.003']);
  });
});
