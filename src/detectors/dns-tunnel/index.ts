// dns-tunnel: data carried in DNS query names, judged per client and registered domain (analysis/domain.ts)
// over the whole run: how many unique subdomains, how long and how random they are, how fast they come, and
// which record types are asked (TXT, NULL, CNAME and MX carry the downstream of dnscat2/iodine-style tunnels).
// The names are also reassembled (analysis/dns-chunks.ts) and inspected, so the finding says whether the data
// was ciphertext (T1048.001) or readable (T1048.003).
//
// Benign long-name patterns are recognised by shape, never by a list of domains:
// - DNS-SD / DKIM / DMARC / ACME names (`sel._domainkey.example.com`, `_dmarc.…`): labels starting with `_`
//   are service labels (RFC 8552), not data, and are not counted.
// - Reverse lookups (PTR, `*.in-addr.arpa`, `*.ip6.arpa`): many unique names by nature; not counted.
// - Reputation lookups by AV/EDR agents (`<md5|sha1|sha256 hex>.<vendor zone>`): one fixed-length digest label
//   per name; reported at risk 3 with `shape: hash-lookup` so an analyst can allow-list the zone.
// - CDN names (`e1234.a.cdn.net`, `d1abc.cloudfront.net`): long but few unique per client and low entropy; they
//   stay under `min_unique_subdomains`.
import { z } from 'zod';
import type { DnsEvent, Event } from '../../core/events.js';
import type { Finding } from '../../core/findings.js';
import { findingId } from '../../core/findings.js';
import type { AnomalyCounter } from '../../core/anomalies.js';
import { CappedMap } from '../state/capped-map.js';
import { newDnsEntity, type DnsEntity } from '../../analysis/dns-chunks.js';
import { splitName } from '../../analysis/domain.js';
import { inspectionShape, toInspectOptions } from '../../analysis/inspect-options.js';
import { inspect, inspectionDetails } from '../../analysis/inspect.js';
import { subTechnique } from '../../analysis/technique.js';
import type { DetectorSpec, Emit } from '../detector.js';

const ID = 'dns-tunnel';

const options = z.object({
  enabled: z.boolean().default(true),
  /** Unique subdomains one client must ask under one domain: a tunnel needs one name per chunk. */
  min_unique_subdomains: z.number().int().positive().default(40),
  /** Mean subdomain length (characters, dots excluded) of a data-carrying name; hostnames average < 15. */
  min_mean_subdomain_length: z.number().positive().default(24),
  /** Mean character entropy of the subdomains, bits/char: hex ≈ 3.7, Base32 ≈ 4.3, words ≈ 3.0 at 24+ chars. */
  min_subdomain_entropy: z.number().positive().default(3.4),
  /** Share of TXT/NULL/CNAME/MX queries that marks a tunnel's downstream channel. */
  min_tunnel_qtype_share: z.number().min(0).max(1).default(0.5),
  /** Sustained queries per second to one domain from one client. */
  min_query_rate: z.number().positive().default(2),
  /** How many of the four signals (length, entropy, record types, rate) must agree with the unique-name count. */
  min_signals: z.number().int().min(1).max(4).default(2),
  /** (client, domain) pairs tracked at once; the oldest is judged and dropped beyond it. */
  max_entities: z.number().int().positive().default(10_000),
  /** Unique names remembered per pair (counting stops, marked `unique_capped`, beyond it). */
  max_unique_tracked: z.number().int().positive().default(4_096),
  /** Characters of reassembled names inspected per pair. */
  max_reassembled_chars: z.number().int().positive().default(64 * 1024),
  ...inspectionShape,
});

type Options = z.infer<typeof options>;

const TUNNEL_QTYPES = new Set([5, 10, 15, 16]); // CNAME, NULL, MX, TXT
const PTR = 12;
const MAX_EVIDENCE = 3;

interface Entity extends DnsEntity {
  tunnelQtypes: number;
  unique: Set<string>;
  uniqueCapped: boolean;
  lengthSum: number;
  entropySum: number;
  maxLabel: number;
  answerChars: number;
}

class DnsTunnel {
  private readonly entities: CappedMap<string, Entity>;
  private readonly counts = new Uint32Array(256);

  constructor(private readonly o: Options, limits: AnomalyCounter) {
    this.entities = new CappedMap(o.max_entities, limits, 'dns-tunnel.max_entities');
  }

  onEvent(event: Event, emit: Emit): void {
    if (event.kind !== 'dns') return;
    if (event.qtype === PTR) return;
    const { registered, subdomain } = splitName(event.query);
    if (subdomain === '' || registered.endsWith('arpa') || hasServiceLabel(subdomain)) return;
    const key = `${event.src_ip}|${registered}`;
    const entity = this.entities.upsert(key, () => this.create(event, registered), (_key, oldest) => {
      this.report(oldest, emit);
    });
    entity.queries++;
    entity.tsEnd = Math.max(entity.tsEnd, event.ts);
    if (event.qtype !== undefined && TUNNEL_QTYPES.has(event.qtype)) entity.tunnelQtypes++;
    for (const answer of event.answers ?? []) entity.answerChars += answer.length;
    if (entity.unique.has(subdomain)) return;
    if (entity.unique.size >= this.o.max_unique_tracked) {
      entity.uniqueCapped = true;
      return;
    }
    entity.unique.add(subdomain);
    entity.assembler.add(subdomain);
    const { length, entropy, maxLabel } = this.measure(subdomain);
    entity.lengthSum += length;
    entity.entropySum += entropy;
    entity.maxLabel = Math.max(entity.maxLabel, maxLabel);
    if (entity.evidence.length < MAX_EVIDENCE) entity.evidence.push({ ...event.source, note: `query ${event.query}` });
  }

  private create(event: DnsEvent, registered: string): Entity {
    const limits = { maxChars: this.o.max_reassembled_chars, maxNames: this.o.max_unique_tracked };
    return {
      ...newDnsEntity(event, registered, limits),
      tunnelQtypes: 0, unique: new Set(), uniqueCapped: false, lengthSum: 0, entropySum: 0, maxLabel: 0, answerChars: 0,
    };
  }

  flush(emit: Emit): void {
    for (const [, entity] of this.entities.drain()) this.report(entity, emit);
  }

  /** Length without dots, character entropy and longest label of one subdomain. */
  private measure(subdomain: string): { length: number; entropy: number; maxLabel: number } {
    const counts = this.counts;
    counts.fill(0);
    let length = 0;
    let label = 0;
    let maxLabel = 0;
    for (let i = 0; i < subdomain.length; i++) {
      const c = subdomain.charCodeAt(i) & 0xff;
      if (c === 0x2e) {
        label = 0;
        continue;
      }
      counts[c]!++;
      length++;
      label++;
      if (label > maxLabel) maxLabel = label;
    }
    let entropy = 0;
    for (let b = 0; b < 256; b++) {
      if (counts[b] === 0) continue;
      const p = counts[b]! / length;
      entropy -= p * Math.log2(p);
    }
    return { length, entropy, maxLabel };
  }

  private report(e: Entity, emit: Emit): void {
    const unique = e.unique.size;
    if (unique < this.o.min_unique_subdomains) return;
    const meanLength = e.lengthSum / unique;
    const meanEntropy = e.entropySum / unique;
    const duration = Math.max(e.tsEnd - e.tsStart, 1);
    const rate = e.queries / duration;
    const qtypeShare = e.tunnelQtypes / e.queries;
    const signals: string[] = [];
    if (meanLength >= this.o.min_mean_subdomain_length) signals.push(`mean subdomain ${meanLength.toFixed(1)} chars`);
    if (meanEntropy >= this.o.min_subdomain_entropy) signals.push(`entropy ${meanEntropy.toFixed(2)} bits/char`);
    if (qtypeShare >= this.o.min_tunnel_qtype_share) signals.push(`${Math.round(qtypeShare * 100)}% TXT/NULL/CNAME/MX`);
    if (rate >= this.o.min_query_rate && e.queries >= this.o.min_unique_subdomains) signals.push(`${rate.toFixed(1)} queries/s`);
    if (signals.length < this.o.min_signals) return;

    const hashLookup = e.assembler.hashLookupShaped;
    const text = new Uint8Array(Buffer.from(e.assembler.text(), 'latin1'));
    const found = inspect(text, text.length, toInspectOptions(this.o));
    const technique = hashLookup ? 'T1048' : subTechnique({ encryptedTransport: false, content: found.verdict });
    const risk = hashLookup ? 3 : Math.min(10, 7 + (found.verdict === 'ciphertext' ? 1 : 0) + (unique >= 4 * this.o.min_unique_subdomains ? 1 : 0));
    const finding: Finding = {
      id: findingId(ID, [e.client, e.registered], e.tsStart),
      technique,
      analytic: ID,
      risk,
      ts_start: e.tsStart,
      ts_end: e.tsEnd,
      src_ip: e.client,
      dst_ip: e.resolver,
      dst_port: 53,
      proto: 'udp',
      bytes_out: e.lengthSum,
      reason: `${hashLookup ? 'hash-lookup-shaped names' : 'DNS tunnel'}: ${e.client} asked ${unique}${e.uniqueCapped ? '+' : ''} unique names under ${e.registered} (${signals.join(', ')}); reassembled content is ${found.verdict}${found.layers.length > 0 ? ` via ${found.layers.join(' → ')}` : ''}`,
      evidence: e.evidence,
      details: {
        protocol: 'dns',
        direction: 'out',
        registered_domain: e.registered,
        queries: e.queries,
        unique_subdomains: unique,
        unique_capped: e.uniqueCapped,
        mean_subdomain_length: Math.round(meanLength * 10) / 10,
        max_label_length: e.maxLabel,
        mean_subdomain_entropy: Math.round(meanEntropy * 100) / 100,
        tunnel_qtype_share: Math.round(qtypeShare * 100) / 100,
        queries_per_second: Math.round(rate * 100) / 100,
        answer_chars: e.answerChars,
        signals,
        shape: hashLookup ? 'hash-lookup' : 'data',
        ...inspectionDetails(found),
        ...(this.entities.evictions > 0 ? { entities_evicted_so_far: this.entities.evictions } : {}),
      },
    };
    if (e.host !== undefined) finding.host = e.host;
    emit(finding);
  }
}

/** A label starting with `_` is a service label (RFC 8552): DKIM, DMARC, SRV, ACME — not data. */
function hasServiceLabel(subdomain: string): boolean {
  if (subdomain.charCodeAt(0) === 0x5f) return true;
  return subdomain.includes('._');
}

export const dnsTunnel: DetectorSpec<Options> = {
  id: ID,
  description: 'Data tunnelled in DNS query names: unique long random subdomains per client and domain, tunnel record types, rate',
  consumes: ['dns'],
  options,
  create: (o, limits) => new DnsTunnel(o, limits),
};
