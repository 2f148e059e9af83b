// DTLS (RFC 6347, 9147): confirmed on a ClientHello record from the originator — handshake content type,
// DTLS 1.0 or 1.2 record version, epoch 0, handshake type 1 and a DTLS client version — as Zeek's
// dpd_dtls_client signature and DTLS analyzer accept it. Found by those bytes on any port (QUIC shares 443).
import type { Direction } from '../analyzer.js';
import { ANY, identifier, matchPrefix, type ByteTest, type Verdict } from './identifier.js';

const DTLS_VERSION_MINOR: ByteTest = (b) => b === 0xff || b === 0xfd;
/** type, version, epoch, sequence number (6), length (2), handshake type, length (3), message sequence (2),
 * fragment offset (3), fragment length (3), client version. */
const CLIENT_HELLO: ByteTest[] = [
  22, 0xfe, DTLS_VERSION_MINOR, 0, 0, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY,
  1, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, 0xfe, DTLS_VERSION_MINOR,
];

export function dtlsClientHello(bytes: Uint8Array, dir: Direction): Verdict {
  return dir === 'orig' && matchPrefix(bytes, CLIENT_HELLO) === 'confirmed' ? 'confirmed' : 'rejected';
}

export const dtlsIdentifier = identifier({
  name: 'dtls',
  transport: 'udp',
  ports: [],
  signature: (first, dir) => dtlsClientHello(first, dir) === 'confirmed',
  check: dtlsClientHello,
});
