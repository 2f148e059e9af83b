// CIDR matching for IPv4 and IPv6 text addresses, for internal networks and allow-lists. Addresses are parsed by
// hand into bytes (no regex over attacker text); anything unparsable simply matches nothing.
import { isIP } from 'node:net';
import { parseIpv6 } from './ip.js';

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    if (part.length === 0 || part.length > 3) return undefined;
    const n = Number(part);
    if (!Number.isInteger(n) || n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** The address as 4 or 16 bytes; IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes its IPv4 bytes. */
export function ipBytes(text: string): number[] | undefined {
  if (isIP(text) === 4) return ipv4Bytes(text);
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  const bytes = Array.from(v6);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

export interface Cidr {
  text: string;
  bytes: number[];
  prefix: number;
}

/** Parses `a.b.c.d/n`, `x::/n` or a bare address (a /32 or /128); undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const bytes = ipBytes(slash < 0 ? text : text.slice(0, slash));
  if (bytes === undefined) return undefined;
  const prefix = slash < 0 ? bytes.length * 8 : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8) return undefined;
  return { text, bytes, prefix };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const bytes = ipBytes(ip);
  return bytes !== undefined && containsBytes(cidr, bytes);
}

function containsBytes(cidr: Cidr, bytes: readonly number[]): boolean {
  if (bytes.length !== cidr.bytes.length) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}

/** RFC 1918, loopback, link-local and unique-local: the networks most sites use inside. */
export const DEFAULT_INTERNAL_NETWORKS: readonly string[] = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10',
];

export function parseCidrs(texts: readonly string[]): Cidr[] {
  return texts.map(parseCidr).filter((c): c is Cidr => c !== undefined);
}

/** The address is parsed once, then compared with each network. */
export function inAny(cidrs: readonly Cidr[], ip: string | undefined): boolean {
  const bytes = ip === undefined ? undefined : ipBytes(ip);
  return bytes !== undefined && cidrs.some((c) => containsBytes(c, bytes));
}

/**
 * `inAny` for hot paths: a network sees the same few thousand addresses over and over, so answers are
 * remembered, in a memo of at most `memoSize` addresses that starts afresh when full (bounded memory).
 */
export function cidrMatcher(cidrs: readonly Cidr[], memoSize = 4096): (ip: string | undefined) => boolean {
  const memo = new Map<string, boolean>();
  return (ip) => {
    if (ip === undefined) return false;
    const known = memo.get(ip);
    if (known !== undefined) return known;
    if (memo.size >= memoSize) memo.clear();
    const answer = inAny(cidrs, ip);
    memo.set(ip, answer);
    return answer;
  };
}
