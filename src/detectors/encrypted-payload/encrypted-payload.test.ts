import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { keystream } from '../../analysis/testdata/random.js';
import { dnsEvent, httpEvent, payloadEvent, runDetector } from '../../../test/events.js';
import { encryptedPayload } from './index.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../analysis/testdata/${name}`, import.meta.url)));
const text = fixture('plain.txt');

describe('encrypted-payload on payload events', () => {
  it('reports openssl ciphertext in an HTTP POST body as T1048.001 with its measurements', () => {
    const body = fixture('plain.txt.aes256cbc.enc');
    const [f, ...rest] = runDetector(encryptedPayload, [payloadEvent(body)]);
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({
      technique: 'T1048.001', risk: 9, bytes_out: body.length, src_ip: '10.1.1.10', dst_port: 80,
      details: { protocol: 'http', context: 'http.request_body', direction: 'out', fingerprint: 'openssl-salted', alignment: 'block-16', layers: [] },
    });
    expect(f!.details!.entropy).toBeGreaterThan(7.8);
    expect(f!.details!.chi_square).toBeGreaterThan(0);
    expect(f!.reason).toContain('openssl-salted');
  });

  it('reports Base64 ciphertext in an SMTP attachment, gpg in FTP and raw bytes in ICMP echo', () => {
    const attachment = `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(keystream(3000)).toString('base64').replace(/.{76}/g, '$&\r\n')}`;
    const findings = runDetector(encryptedPayload, [
      payloadEvent(new Uint8Array(Buffer.from(attachment)), { uid: 'S', protocol: 'smtp', context: 'smtp.attachment', dst_port: 25 }),
      payloadEvent(fixture('plain.txt.gpg'), { uid: 'F', protocol: 'ftp', context: 'ftp.data', dst_port: 20, name: 'loot.gpg' }),
      payloadEvent(keystream(1400), { uid: 'I', protocol: 'icmp', context: 'icmp.echo', dst_port: 0 }),
    ]);
    const by = new Map(findings.map((f) => [f.details!.protocol, f]));
    expect(by.get('smtp')!.details).toMatchObject({ layers: ['base64'], content: 'ciphertext' });
    expect(by.get('ftp')!.details).toMatchObject({ fingerprint: 'openpgp-symmetric', cipher: 'AES-256', name: 'loot.gpg' });
    expect(by.get('icmp')).toMatchObject({ proto: 'icmp', technique: 'T1048.001' });
  });

  it('stays quiet on benign look-alikes: gzip, zip, PNG, Base64 images, CSV and downloads', () => {
    const png64 = Buffer.from(fixture('noise.png')).toString('base64');
    const csv = Array.from({ length: 500 }, (_, i) => `${i},alice${i}@example.com,${i * 3}.50`).join('\n');
    const findings = runDetector(encryptedPayload, [
      payloadEvent(new Uint8Array(gzipSync(Buffer.concat(Array.from({ length: 40 }, () => text)))), { uid: 'a' }),
      payloadEvent(fixture('plain.zip'), { uid: 'b' }),
      payloadEvent(fixture('noise.png'), { uid: 'c' }),
      payloadEvent(new Uint8Array(Buffer.from(JSON.stringify({ image: `data:image/png;base64,${png64}` }))), { uid: 'd' }),
      payloadEvent(new Uint8Array(Buffer.from(csv)), { uid: 'e' }),
      payloadEvent(keystream(50_000), { uid: 'f', direction: 'in', context: 'http.response_body' }),
    ]);
    expect(findings).toEqual([]);
  });

  it('still finds ciphertext after 1 MiB of benign data in the same flow (sampling past the depth)', () => {
    const events = Array.from({ length: 20 }, () => payloadEvent(new Uint8Array(Buffer.concat(Array.from({ length: 22 }, () => text))), { uid: 'long', protocol: 'ftp', context: 'ftp.data' }));
    // Each benign sample differs in its first byte so none is taken for a repeat.
    events.forEach((e, i) => { e.sample.bytes = e.sample.bytes.slice(); e.sample.bytes[0] = 0x41 + i; });
    events.push(payloadEvent(keystream(65536), { uid: 'long', protocol: 'ftp', context: 'ftp.data' }));
    const [f] = runDetector(encryptedPayload, events);
    expect(f).toBeDefined();
    expect(f!.details).toMatchObject({ samples: 21, content: 'ciphertext' });
    expect(f!.details!.samples_past_depth as number).toBeGreaterThan(0);
    expect(f!.details!.inspected_bytes).toBe(4096); // only the sample_after_depth prefix was inspected
    expect(f!.bytes_out).toBe(20 * 22 * text.length + 65536);
  });

  it('judges a body once when both the http event and a payload event carry it', () => {
    const body = keystream(2000);
    const [f, ...rest] = runDetector(encryptedPayload, [
      httpEvent({ method: 'POST', request_body: { bytes: body, total: body.length } }),
      payloadEvent(body),
    ]);
    expect(rest).toHaveLength(0);
    expect(f!.details).toMatchObject({ samples: 1, bytes: 2000 });
  });

  it('finds Base64url ciphertext in a URI path and hex in a query string', () => {
    const findings = runDetector(encryptedPayload, [
      httpEvent({ uid: 'u1', uri: `/upload/${Buffer.from(keystream(200)).toString('base64url')}/done` }),
      httpEvent({ uid: 'u2', uri: `/q?id=42&d=${Buffer.from(keystream(150, 'x')).toString('hex')}` }),
      httpEvent({ uid: 'u3', uri: '/index.html?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2024' }),
    ]);
    expect(findings.map((f) => [f.details!.context, (f.details!.layers as string[]).join()])).toEqual([
      ['http.uri', 'base64url'],
      ['http.uri', 'hex'],
    ]);
  });

  it('reports the oldest flow when the flow cap is reached, and keeps counting', () => {
    const events = ['a', 'b', 'c'].map((uid) => payloadEvent(keystream(500, uid), { uid }));
    const findings = runDetector(encryptedPayload, events, { max_flows: 2 });
    expect(findings).toHaveLength(3);
    expect(findings.some((f) => f.details!.flows_evicted_so_far === 1)).toBe(true);
  });
});

describe('encrypted-payload on DNS query names', () => {
  const chunks = (data: Uint8Array, size: number): string[] => {
    const hex = Buffer.from(data).toString('hex');
    const out: string[] = [];
    for (let i = 0; i < hex.length; i += size) out.push(hex.slice(i, i + size));
    return out;
  };

  it('reassembles numbered hex chunks, out of order, into ciphertext', () => {
    const names = chunks(fixture('plain.txt.aes256cbc.enc').subarray(0, 600), 60).map((c, i) => `${i}.${c}.x.exfil-test.com`);
    const shuffled = [...names.slice(5), ...names.slice(0, 5)];
    const [f] = runDetector(encryptedPayload, shuffled.map((q) => dnsEvent(q)));
    expect(f).toMatchObject({ technique: 'T1048.001', proto: 'udp', details: { registered_domain: 'exfil-test.com', chunks: 20, fingerprint: 'openssl-salted', layers: ['hex'] } });
  });

  it('does not flag reputation hash lookups, CDN names or plain hostnames', () => {
    const hashes = Array.from({ length: 50 }, (_, i) => dnsEvent(`${Buffer.from(keystream(16, `h${i}`)).toString('hex')}.avqs.example-av.com`));
    const cdn = Array.from({ length: 50 }, (_, i) => dnsEvent(`e${1000 + i}.a.cdn-edge.net`));
    const plain = ['www', 'mail', 'api', 'static'].map((h) => dnsEvent(`${h}.example.org`));
    expect(runDetector(encryptedPayload, [...hashes, ...cdn, ...plain])).toEqual([]);
  });
});

describe('encrypted-payload DNS state bounds', () => {
  it('judges and drops the oldest (client, domain) pair at max_dns_entities', () => {
    const events = ['a', 'b', 'c'].flatMap((d) => {
      const hex = Buffer.from(keystream(300, d)).toString('hex');
      return Array.from({ length: 10 }, (_, i) => dnsEvent(`${i}.${hex.slice(i * 60, i * 60 + 60)}.x.${d}-exfil.com`));
    });
    const findings = runDetector(encryptedPayload, events, { max_dns_entities: 2 });
    expect(findings.map((f) => f.details!.registered_domain).sort()).toEqual(['a-exfil.com', 'b-exfil.com', 'c-exfil.com']);
    expect(findings.some((f) => f.details!.dns_entities_evicted_so_far === 1)).toBe(true);
  });
});
