// RDP over UDP (MS-RDPEUDP): confirmed when the server answers the client's SYN datagram with a SYN+ACK,
// as Zeek confirms the handshake (a client whose SYNs go unanswered is not confirmed). Both start with the
// RDPUDP_FEC_HEADER: snSourceAck (0xffffffff in a SYN), uReceiveWindowSize, uFlags.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';

const RDP_PORTS = [3389];
const RDPUDP_FLAG_SYN = 0x0001;
const RDPUDP_FLAG_ACK = 0x0004;
const HEADER = 8;

function flags(datagram: Uint8Array): number | undefined {
  return datagram.length < HEADER ? undefined : (datagram[6]! << 8) | datagram[7]!;
}

function isSyn(datagram: Uint8Array): boolean {
  const f = flags(datagram);
  return f !== undefined && (f & (RDPUDP_FLAG_SYN | RDPUDP_FLAG_ACK)) === RDPUDP_FLAG_SYN && datagram.subarray(0, 4).every((b) => b === 0xff);
}

export function rdpeudpHandshake(bytes: Uint8Array, dir: Direction, peer: Uint8Array): Verdict {
  if (dir !== 'resp') return 'more';
  const f = flags(bytes);
  const synAck = f !== undefined && (f & (RDPUDP_FLAG_SYN | RDPUDP_FLAG_ACK)) === (RDPUDP_FLAG_SYN | RDPUDP_FLAG_ACK);
  return synAck && isSyn(peer) ? 'confirmed' : 'rejected';
}

export const rdpeudpIdentifier = identifier({
  name: 'rdpeudp',
  transport: 'udp',
  ports: RDP_PORTS,
  signature: () => false,
  check: rdpeudpHandshake,
});
