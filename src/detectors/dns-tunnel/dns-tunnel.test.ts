import { describe, expect, it } from 'vitest';
import { keystream } from '../../analysis/testdata/random.js';
import { dnsEvent, runDetector } from '../../../test/events.js';
import { dnsTunnel } from './index.js';

/** `n` queries carrying `data` hex-encoded, 60 characters per name with a sequence label, one every 0.1 s. */
function tunnel(data: Uint8Array, qtype = 16, domain = 't.evil-dns.net') {
  const hex = Buffer.from(data).toString('hex');
  const events = [];
  for (let i = 0, seq = 0; i < hex.length; i += 60, seq++) {
    events.push(dnsEvent(`${seq}.${hex.slice(i, i + 60)}.${domain}`, { qtype, qtype_name: qtype === 16 ? 'TXT' : 'A', ts: 1000 + seq * 0.1, answers: ['"ok"'] }));
  }
  return events;
}

describe('dns-tunnel', () => {
  it('finds a TXT tunnel carrying ciphertext and calls it T1048.001', () => {
    const [f, ...rest] = runDetector(dnsTunnel, tunnel(keystream(3000)));
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({ technique: 'T1048.001', src_ip: '10.1.1.10', details: { registered_domain: 'evil-dns.net', unique_subdomains: 100, shape: 'data', content: 'ciphertext', layers: ['hex'], tunnel_qtype_share: 1 } });
    expect(f!.details!.signals).toHaveLength(4);
  });

  it('calls a tunnel of readable data T1048.003', () => {
    const csv = Buffer.from(Array.from({ length: 120 }, (_, i) => `${i},card,4111-1111-1111-${String(i).padStart(4, '0')}`).join('\n'));
    const [f] = runDetector(dnsTunnel, tunnel(new Uint8Array(csv), 1));
    expect(f).toMatchObject({ technique: 'T1048.003', details: { content: 'text' } });
  });

  it('reports reputation hash lookups at low risk with their shape', () => {
    const events = Array.from({ length: 60 }, (_, i) => dnsEvent(`${Buffer.from(keystream(20, `f${i}`)).toString('hex')}.hash.av-vendor.com`, { ts: 1000 + i * 0.2 }));
    const [f] = runDetector(dnsTunnel, events);
    expect(f).toMatchObject({ risk: 3, technique: 'T1048', details: { shape: 'hash-lookup' } });
  });

  it('ignores DKIM/service labels, reverse lookups, CDN names and repeated queries', () => {
    const dkim = Array.from({ length: 80 }, (_, i) => dnsEvent(`sel${i}._domainkey.${'mail'}.example.com`, { qtype: 16 }));
    const ptr = Array.from({ length: 80 }, (_, i) => dnsEvent(`${i}.2.0.192.in-addr.arpa`, { qtype: 12 }));
    const cdn = Array.from({ length: 80 }, (_, i) => dnsEvent(`e${1000 + (i % 5)}.dsca.akamaiedge-like.net`, { ts: 1000 + i * 0.01 }));
    const repeats = Array.from({ length: 200 }, () => dnsEvent(`${Buffer.from(keystream(30)).toString('hex')}.same.example.org`));
    expect(runDetector(dnsTunnel, [...dkim, ...ptr, ...cdn, ...repeats])).toEqual([]);
  });

  it('keeps a bounded number of entities and unique names, saying so', () => {
    const events = ['a.net', 'b.net', 'c.net'].flatMap((d) => tunnel(keystream(1500, d), 16, `x.${d}`));
    const findings = runDetector(dnsTunnel, events, { max_entities: 2 });
    expect(findings).toHaveLength(3);
    expect(findings.some((f) => f.details!.entities_evicted_so_far === 1)).toBe(true);
    const [capped] = runDetector(dnsTunnel, tunnel(keystream(3000)), { max_unique_tracked: 50 });
    expect(capped!.details).toMatchObject({ unique_subdomains: 50, unique_capped: true });
  });

  it('treats __proto__ and other odd labels as plain keys', () => {
    const events = Array.from({ length: 50 }, (_, i) => dnsEvent(`__proto__.${Buffer.from(keystream(30, `p${i}`)).toString('hex')}.constructor`, { qtype: 16 }));
    expect(() => runDetector(dnsTunnel, events)).not.toThrow();
  });
});
