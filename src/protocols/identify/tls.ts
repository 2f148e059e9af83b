// TLS (Zeek's `ssl`): confirmed, as Zeek's SSL analyzer confirms, on a ClientHello from the originator or a
// ServerHello from the responder that names an SSL 3.0 – TLS 1.3 (or draft) version, and on an SSLv2-format
// ClientHello.
import type { Direction } from '../analyzer.js';
import { ANY, type ByteTest, identifier, type IdentifierStage, matchPrefix, type Verdict } from './identifier.js';

/** Zeek's SSL::ssl_ports. */
const TLS_PORTS = [443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223];

const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;

const recordVersion: ByteTest = (b) => b <= 4;
/** The hello's version: 3.0 – 3.4, or a TLS 1.3 draft (0x7fNN) from a server. */
const helloMajor = (dir: Direction): ByteTest => (b) => b === 3 || (dir === 'resp' && b === 0x7f);

/** Record header, handshake header and hello version: 11 bytes, Zeek's dpd_tls_client / dpd_tls_server. */
function tlsHelloTests(dir: Direction): ByteTest[] {
  return [HANDSHAKE, 3, recordVersion, ANY, ANY, dir === 'orig' ? CLIENT_HELLO : SERVER_HELLO, ANY, ANY, ANY, helloMajor(dir), ANY];
}
const HELLO_TESTS = { orig: tlsHelloTests('orig'), resp: tlsHelloTests('resp') };

/** SSLv2 record header (2-byte length, high bit set), CLIENT-HELLO, version 2 or 3.0 – 3.3. */
const SSL2_CLIENT_HELLO: ByteTest[] = [(b) => (b & 0x80) !== 0, ANY, CLIENT_HELLO, (b) => b === 0 || b === 3, (b) => b <= 3];

export function tlsHello(bytes: Uint8Array, dir: Direction): Verdict {
  const tls = matchPrefix(bytes, HELLO_TESTS[dir]);
  if (tls !== 'rejected' || dir === 'resp') return tls;
  return matchPrefix(bytes, SSL2_CLIENT_HELLO);
}

export const tlsIdentifier = identifier({
  name: 'ssl',
  transport: 'tcp',
  ports: TLS_PORTS,
  // Zeek's signatures name only the SSL 3.0+ record format.
  signature: (first, dir) => matchPrefix(first, HELLO_TESTS[dir]) === 'confirmed',
  check: tlsHello,
});

/** A ClientHello starting anywhere in the originator's bytes (after a STARTTLS exchange of a text protocol). */
function clientHelloWithin(bytes: Uint8Array, dir: Direction): Verdict {
  if (dir !== 'orig') return 'rejected';
  for (let at = bytes.indexOf(HANDSHAKE); at !== -1; at = bytes.indexOf(HANDSHAKE, at + 1)) {
    if (matchPrefix(bytes.subarray(at), HELLO_TESTS.orig) === 'confirmed') return 'confirmed';
  }
  return 'more';
}

/** The stage after a text protocol that can switch to TLS (POP3 STLS, IMAP/XMPP STARTTLS): `ssl` follows it. */
export const STARTTLS: IdentifierStage = { name: 'ssl', check: clientHelloWithin };
