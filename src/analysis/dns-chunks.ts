// Reassembles data chunked across DNS query names (dnscat2, iodine, DNSExfiltrator, `dig $(chunk).evil.tld`):
// per client and registered domain, the subdomain labels of each new name are appended — in sequence order
// when the names carry a sequence number as their first label (`0.<data>`, `17.<data>`, or `<data>.17`),
// otherwise in arrival order. Retransmissions and A/AAAA twins of one name are counted once. Bounded: at most
// `maxChars` characters and `maxNames` remembered names per assembler. Constant tag labels are dropped.
import type { DnsEvent } from '../core/events.js';
import type { Evidence } from '../core/findings.js';

export interface ChunkLimits {
  maxChars: number;
  maxNames: number;
}

const DIGEST_HEX_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);

function isDigestShaped(label: string): boolean {
  if (!DIGEST_HEX_LENGTHS.has(label.length)) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** A label of one to six decimal digits: a chunk sequence number. */
function isSequenceLabel(label: string): boolean {
  if (label.length < 1 || label.length > 6) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

export class DnsChunkAssembler {
  private readonly seen = new Set<string>();
  private readonly chunks: { seq: number; order: number; labels: string[] }[] = [];
  private chars = 0;
  private numbered = 0;
  /** Chunks dropped because the assembler was full. */
  dropped = 0;

  constructor(private readonly limits: ChunkLimits) {}

  /** Adds the subdomain part of one query name; returns false when it was a repeat. */
  add(subdomain: string): boolean {
    if (subdomain === '' || this.seen.has(subdomain)) return false;
    if (this.seen.size < this.limits.maxNames) this.seen.add(subdomain);
    const labels = subdomain.split('.');
    let seq = -1;
    const first = labels[0]!;
    const last = labels[labels.length - 1]!;
    if (labels.length > 1 && isSequenceLabel(first)) {
      seq = Number(first);
      labels.shift();
    } else if (labels.length > 1 && isSequenceLabel(last)) {
      seq = Number(last);
      labels.pop();
    }
    if (seq >= 0) this.numbered++;
    const data = labels.join('');
    if (this.chars + data.length > this.limits.maxChars) {
      this.dropped++;
      return true;
    }
    this.chars += data.length;
    this.chunks.push({ seq, order: this.chunks.length, labels });
    return true;
  }

  /**
   * Labels right of the data that are the same in every name (a session or tool tag such as `<data>.s1.evil.tld`):
   * they carry no data and would break the encoded run, so they are left out.
   */
  private constantTagLabels(): number {
    const first = this.chunks[0];
    if (first === undefined || this.chunks.length < 2) return 0;
    let tag = 0;
    for (; tag < first.labels.length - 1; tag++) {
      const label = first.labels[first.labels.length - 1 - tag];
      if (!this.chunks.every((c) => c.labels.length - 1 - tag > 0 && c.labels[c.labels.length - 1 - tag] === label)) break;
    }
    return tag;
  }

  get length(): number {
    return this.chars;
  }

  get count(): number {
    return this.chunks.length;
  }

  /**
   * Nearly every name is one hex label of a digest's length (MD5, SHA-1, SHA-224, SHA-256…): the shape of
   * reputation lookups (file-hash and URL-hash queries by AV and EDR agents), which are random by construction.
   */
  get hashLookupShaped(): boolean {
    const tag = this.constantTagLabels();
    let digests = 0;
    for (const c of this.chunks) if (c.labels.length - tag === 1 && isDigestShaped(c.labels[0]!)) digests++;
    return this.chunks.length > 0 && digests >= 0.9 * this.chunks.length;
  }

  /** The reassembled text: by sequence number when every chunk carried one, else in arrival order. */
  text(): string {
    const ordered = this.numbered === this.chunks.length && this.numbered > 0
      ? [...this.chunks].sort((a, b) => a.seq - b.seq || a.order - b.order)
      : this.chunks;
    const tag = this.constantTagLabels();
    return ordered.map((c) => c.labels.slice(0, c.labels.length - tag).join('')).join('');
  }
}

/** What every per-(client, registered domain) DNS analytic keeps: who asked, where, when, and the chunks. */
export interface DnsEntity {
  client: string;
  resolver: string;
  registered: string;
  host?: string;
  tsStart: number;
  tsEnd: number;
  queries: number;
  assembler: DnsChunkAssembler;
  evidence: Evidence[];
}

export function newDnsEntity(event: DnsEvent, registered: string, limits: ChunkLimits): DnsEntity {
  const entity: DnsEntity = {
    client: event.src_ip, resolver: event.dst_ip, registered, tsStart: event.ts, tsEnd: event.ts, queries: 0,
    assembler: new DnsChunkAssembler(limits), evidence: [],
  };
  if (event.host !== undefined) entity.host = event.host;
  return entity;
}
