// DCE/RPC over TCP (connection-oriented PDUs, C706 §12.6): confirmed on a PDU header of version 5.0 or
// 5.1 whose type a client sends (request, bind, alter context …) from the originator or a server sends
// (response, bind ack, fault …) from the responder, with a known data representation. Found on any port.
import type { Direction } from '../analyzer.js';
import { ANY, identifier, matchPrefix, type ByteTest, type Verdict } from './identifier.js';

/** Zeek's DCE_RPC ports: the endpoint mapper. */
const DCE_RPC_PORTS = [135];
/** request, ping, bind, alter_context, auth3, shutdown, co_cancel, orphaned. */
const CLIENT_TYPES = new Set([0, 1, 11, 14, 16, 17, 18, 19]);
/** response, fault, bind_ack, bind_nak, alter_context_resp, shutdown. */
const SERVER_TYPES = new Set([2, 3, 12, 13, 15, 17]);
/** The data representation's first byte: integer byte order (0 or 0x10) and character set (ASCII or EBCDIC). */
const drep: ByteTest = (b) => (b & 0xee) === 0;

function header(dir: Direction): ByteTest[] {
  const types = dir === 'orig' ? CLIENT_TYPES : SERVER_TYPES;
  return [5, (b) => b <= 1, (b) => types.has(b), ANY, drep];
}
const HEADERS = { orig: header('orig'), resp: header('resp') };

export function dceRpcPdu(bytes: Uint8Array, dir: Direction): Verdict {
  return matchPrefix(bytes, HEADERS[dir]);
}

export const dceRpcIdentifier = identifier({
  name: 'dce_rpc',
  transport: 'tcp',
  ports: DCE_RPC_PORTS,
  signature: (first, dir) => dceRpcPdu(first, dir) === 'confirmed',
  check: dceRpcPdu,
});
