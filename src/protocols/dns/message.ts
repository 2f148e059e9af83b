// DNS message decoding (RFC 1035 §4.1): header, questions and answer records, with name compression
// (§4.1.4). Names are read by an iterative walker whose pointers must jump strictly backwards, so a
// pointer to itself or a ping-pong pair (RELIABILITY D23) ends as `dns.name_loop` in bounded steps; a name
// over 255 bytes (§2.3.4) stops as `dns.name_too_long`, and one through more than `max_compression_depth`
// pointers is cut there (a limit reached, as Zeek's dns_max_compression_chain_depth). The counts in the header are only upper bounds:
// records are read while bytes remain, so work is bounded by the message size, never by qdcount/ancount.
import { formatIpv6 } from '../../core/ip.js';
import type { AnomalyCode } from '../../core/anomalies.js';
import { protocolText } from '../common/text.js';

export interface DnsLimits {
  /** Longest name in wire bytes (RFC 1035: 255); longer names are cut and counted. */
  max_name_length: number;
  /** Answer records rendered per message; the rest are skipped (`dns.too_many_answers`). */
  max_answers: number;
  /** Queries awaiting a response per connection (Zeek `DNS::max_pending_queries`); the oldest is logged unanswered. */
  max_pending_queries: number;
  /** Questions a message may declare (Zeek `dns_max_queries`): more is a protocol violation, nothing is read. */
  max_questions: number;
  /** Compression pointers followed per name (Zeek `dns_max_compression_chain_depth`): the name is cut there. */
  max_compression_depth: number;
  /** Seconds of silence that end a UDP DNS conversation (Zeek's dns_session_timeout); the next packet starts another. */
  session_timeout: number;
}

export const DEFAULT_DNS_LIMITS: DnsLimits = {
  max_name_length: 255, max_answers: 100, max_pending_queries: 50, max_questions: 25, max_compression_depth: 20, session_timeout: 10,
};

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  /** The question count of the header (qdcount). */
  questions: number;
  question?: { name: string; qtype: number; qclass: number; raw: Uint8Array };
  /** Owner name of the first answer, which Zeek logs as the query of a message without a question. */
  firstOwner?: string;
  /** Answer-section records rendered as Zeek renders them, with their TTLs. */
  answers: string[];
  ttls: number[];
  /** TXT strings of the answers, raw, for content analysis. */
  txt: Uint8Array[];
}

/** Where the decoder reports damaged data and limits reached. */
export interface DnsReport {
  anomaly(code: AnomalyCode): void;
  limitReached(code: AnomalyCode, detail: string): void;
}

const HEADER = 12;
/** Shared by the many messages without answer records (frozen: the first record gets fresh arrays). */
const NONE = Object.freeze([]) as never[];
const NO_BYTES = new Uint8Array(0);
const ASCII_UPPER_A = 0x41;
const ASCII_UPPER_Z = 0x5a;

/** Decodes one message; undefined when even the header or question is unusable (counted). */
export function parseDnsMessage(msg: Uint8Array, limits: DnsLimits, report: DnsReport): DnsMessage | undefined {
  if (msg.length < HEADER) {
    report.anomaly('dns.truncated');
    return undefined;
  }
  const flags = u16(msg, 2);
  const qdcount = u16(msg, 4);
  const ancount = u16(msg, 6);
  const result: DnsMessage = {
    id: u16(msg, 0), response: (flags & 0x8000) !== 0, opcode: (flags >> 11) & 0xf, rcode: flags & 0xf, questions: qdcount,
    answers: NONE, ttls: NONE, txt: NONE,
  };
  if (qdcount > limits.max_questions) return result;
  let pos = HEADER;
  for (let i = 0; i < qdcount; i++) {
    const end = readName(msg, pos, limits, report);
    if (end === -1 || end + 4 > msg.length) {
      report.anomaly('dns.truncated');
      // A response without a usable question still carries its rcode; a query without one carries nothing.
      return i > 0 || result.response ? result : undefined;
    }
    if (i === 0) result.question = { name: nameText(), qtype: u16(msg, end), qclass: u16(msg, end + 2), raw: nameLength === 0 ? NO_BYTES : RAW.slice(0, nameLength) };
    pos = end + 4;
  }
  for (let i = 0; i < ancount; i++) {
    const end = readName(msg, pos, limits, report);
    if (end === -1 || end + 10 > msg.length) {
      report.anomaly('dns.truncated');
      break;
    }
    const type = u16(msg, end);
    const ttl = u16(msg, end + 4) * 0x10000 + u16(msg, end + 6);
    const rdlength = u16(msg, end + 8);
    const rdata = end + 10;
    if (rdata + rdlength > msg.length) {
      report.anomaly('dns.truncated');
      break;
    }
    pos = rdata + rdlength;
    if (type === 41) continue; // OPT pseudo-record (EDNS), not an answer
    if (result.answers === NONE) {
      result.firstOwner = nameText();
      result.answers = [];
      result.ttls = [];
      result.txt = [];
    }
    if (result.answers.length === limits.max_answers) {
      report.anomaly('dns.too_many_answers');
      break;
    }
    const rendered = renderRdata(msg, type, rdata, rdlength, limits, report, result.txt);
    if (rendered === undefined) continue;
    result.answers.push(rendered);
    result.ttls.push(ttl);
  }
  return result;
}

function u16(msg: Uint8Array, at: number): number {
  return (msg[at]! << 8) | msg[at + 1]!;
}

/**
 * Reads a possibly compressed name into the scratch space (RAW, LOWER, nameLength) and returns the offset
 * after it at its original position (after the first pointer, if any), or -1 when the message ends first.
 * Each pointer must target an offset before the start of the label run that contained it, so the walk
 * always moves backwards and terminates; a violation is a loop. Text is made only for names that are used.
 */
function readName(msg: Uint8Array, start: number, limits: DnsLimits, report: DnsReport): number {
  // Names are at most 255 bytes (the cap is checked before each copy): reused scratch space, no per-byte allocation.
  const cap = Math.min(limits.max_name_length, NAME_SCRATCH);
  let n = 0;
  let pos = start;
  let runStart = start;
  let end = -1;
  let pointers = 0;
  for (;;) {
    if (pos >= msg.length) return -1;
    const len = msg[pos]!;
    if (len === 0) {
      if (end === -1) end = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= msg.length) return -1;
      const target = ((len & 0x3f) << 8) | msg[pos + 1]!;
      if (end === -1) end = pos + 2;
      if (target >= runStart) {
        report.anomaly('dns.name_loop');
        break;
      }
      if (++pointers > limits.max_compression_depth) {
        report.limitReached('dns.compression_depth_exceeded', `${pointers}`);
        break;
      }
      pos = target;
      runStart = target;
      continue;
    }
    if (kind !== 0) {
      // 0x40 and 0x80 label types are reserved/obsolete (RFC 6891 §5).
      report.anomaly('dns.bad_label');
      if (end === -1) end = pos + 1;
      break;
    }
    if (pos + 1 + len > msg.length) return -1;
    if (n + len + (n > 0 ? 1 : 0) > cap) {
      report.anomaly('dns.name_too_long');
      if (end === -1) end = skipName(msg, pos);
      break;
    }
    if (n > 0) {
      RAW[n] = 0x2e;
      LOWER[n++] = 0x2e;
    }
    for (let i = pos + 1; i <= pos + len; i++, n++) {
      const c = msg[i]!;
      RAW[n] = c;
      // Zeek logs names in lower case; only ASCII letters are folded so other bytes stay as sent.
      LOWER[n] = c >= ASCII_UPPER_A && c <= ASCII_UPPER_Z ? c + 32 : c;
    }
    pos += 1 + len;
  }
  nameLength = n;
  return end;
}

const NAME_SCRATCH = 1024;
/** The last name read: its labels as sent, dot-joined (for content analysis), and lower-cased. */
const RAW = new Uint8Array(NAME_SCRATCH);
const LOWER = new Uint8Array(NAME_SCRATCH);
let nameLength = 0;

/** The last name read, as Zeek logs it. */
function nameText(): string {
  return protocolText(LOWER, 0, nameLength);
}

/** Where an uncompressed label run ends (after its terminator or first pointer), for cut-short names. */
function skipName(msg: Uint8Array, pos: number): number {
  while (pos < msg.length) {
    const len = msg[pos]!;
    if (len === 0) return pos + 1;
    if ((len & 0xc0) !== 0) return pos + 2;
    pos += 1 + len;
  }
  return msg.length;
}

/**
 * One answer as Zeek's dns.log `answers` shows it (base/protocols/dns/main.zeek reply handlers); undefined
 * for the types Zeek's base scripts do not log (WKS, TKEY, unknown types).
 */
function renderRdata(
  msg: Uint8Array, type: number, at: number, len: number, limits: DnsLimits, report: DnsReport, txt: Uint8Array[],
): string | undefined {
  const name = (offset: number): string => (readName(msg, offset, limits, report) === -1 ? '' : nameText());
  switch (type) {
    case 1:
      return len === 4 ? `${msg[at]}.${msg[at + 1]}.${msg[at + 2]}.${msg[at + 3]}` : undefined;
    case 28:
      return len === 16 ? formatIpv6(msg, at) : undefined;
    case 2: case 5: case 12: case 39:
      return name(at);
    case 15:
      return len > 2 ? name(at + 2) : undefined;
    case 33:
      return len > 6 ? name(at + 6) : undefined;
    case 6:
      return name(at);
    case 16: case 99: {
      const parts: string[] = [];
      let p = at;
      while (p < at + len) {
        const n = Math.min(msg[p]!, at + len - p - 1);
        const text = msg.subarray(p + 1, p + 1 + n);
        txt.push(text);
        parts.push(`${type === 16 ? 'TXT' : 'SPF'} ${n} ${protocolText(text)}`);
        p += 1 + n;
      }
      return parts.join(' ');
    }
    case 43:
      return len >= 4 ? `DS ${msg[at + 2]} ${msg[at + 3]}` : undefined;
    case 46:
      return len >= 18 ? `RRSIG ${u16(msg, at)} ${name(at + 18)}` : undefined;
    case 48:
      return len >= 4 ? `DNSKEY ${msg[at + 3]}` : undefined;
    case 50:
      return 'NSEC3';
    case 51:
      return 'NSEC3PARAM';
    case 44:
      return len >= 2 ? `SSHFP: ${Buffer.from(msg.subarray(at + 2, at + len)).toString('hex')}` : undefined;
    case 29: // LOC (RFC 1876 §2): Zeek prints the encoded size and precisions as numbers
      return len >= 16 ? `LOC:  ${msg[at + 1]} ${msg[at + 2]} ${msg[at + 3]}` : undefined;
    case 35:
      return len >= 4 ? renderNaptr(msg, at, len, name) : undefined;
    case 65534:
      return 'BIND9 signing signal';
    default:
      return undefined;
  }
}

/** NAPTR (RFC 3403 §4.1): order, preference, flags, services and regexp strings, then the replacement name. */
function renderNaptr(msg: Uint8Array, at: number, len: number, name: (offset: number) => string): string | undefined {
  const strings: string[] = [];
  let p = at + 4;
  for (let i = 0; i < 3; i++) {
    if (p >= at + len || p + 1 + msg[p]! > at + len) return undefined;
    strings.push(protocolText(msg.subarray(p + 1, p + 1 + msg[p]!)));
    p += 1 + msg[p]!;
  }
  const [flags, services, regexp] = strings as [string, string, string];
  const target = [regexp, name(p)].filter((part) => part.length > 0).join(' ');
  return `NAPTR ${u16(msg, at)} ${u16(msg, at + 2)} ${flags} ${services} ${target}`;
}
