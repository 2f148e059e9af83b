// MySQL: confirmed on the server's initial handshake packet (3-byte little-endian length, sequence 0,
// protocol version 10, a NUL-terminated server version). A client that asks for TLS (an SSL request packet)
// then sends a ClientHello, which names `ssl` too.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';
import { STARTTLS } from './tls.js';

const MYSQL_PORTS = [3306];
const PROTOCOL_V10 = 10;
const MAX_VERSION = 64;

export function mysqlGreeting(bytes: Uint8Array, dir: Direction): Verdict {
  if (dir !== 'resp') return 'rejected';
  if (bytes.length < 5) return 'more';
  const length = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
  if (bytes[3] !== 0 || bytes[4] !== PROTOCOL_V10 || length < 2) return 'rejected';
  const nul = bytes.subarray(5, 5 + MAX_VERSION).indexOf(0);
  if (nul === -1) return bytes.length < 5 + MAX_VERSION ? 'more' : 'rejected';
  // A version is printable text of at least one character, inside the packet.
  const version = bytes.subarray(5, 5 + nul);
  return nul > 0 && nul < length && version.every((b) => b >= 0x20 && b < 0x7f) ? 'confirmed' : 'rejected';
}

export const mysqlIdentifier = identifier({
  name: 'mysql',
  transport: 'tcp',
  ports: MYSQL_PORTS,
  signature: () => false,
  check: mysqlGreeting,
  then: STARTTLS,
});
