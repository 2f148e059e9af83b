// Kerberos over TCP (RFC 4120 §7.2.2, Zeek's `krb_tcp`): confirmed on a record marker (4-byte length) followed
// by a KDC message's ASN.1 application tag — AS-REQ or TGS-REQ from the client, AS-REP, TGS-REP or
// KRB-ERROR from the server.
import type { Direction } from '../analyzer.js';
import { ANY, identifier, matchPrefix, type Verdict } from './identifier.js';

const KRB_PORTS = [88];
const REQUESTS = new Set([0x6a, 0x6c]);
const REPLIES = new Set([0x6b, 0x6d, 0x7e]);
/** The record length's first byte: KDC messages stay far below 16 MiB. */
const recordLength = (b: number): boolean => b === 0;

export function krbRecord(bytes: Uint8Array, dir: Direction): Verdict {
  const tags = dir === 'orig' ? REQUESTS : REPLIES;
  return matchPrefix(bytes, [recordLength, ANY, ANY, ANY, (b) => tags.has(b)]);
}

export const krbTcpIdentifier = identifier({
  name: 'krb_tcp',
  transport: 'tcp',
  ports: KRB_PORTS,
  signature: () => false,
  check: krbRecord,
});
