// NTP (RFC 5905; control and private messages of modes 6 and 7): confirmed on a datagram whose first byte
// carries version 1–4 and a mode, long enough for that mode's header — 48 bytes for the time-exchange modes
// 1–5, 12 for a mode-6 control message, 8 for a mode-7 private one. A server message from the originator, or a
// client message from the responder, turns the connection round once, as Zeek's NTP analyzer does.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';

const NTP_PORTS = [123];
const MIN_LENGTH = [0, 48, 48, 48, 48, 48, 12, 8];

export function ntpMessage(bytes: Uint8Array): Verdict {
  if (bytes.length === 0) return 'rejected';
  const version = (bytes[0]! >> 3) & 0x07;
  const mode = bytes[0]! & 0x07;
  return version >= 1 && version <= 4 && mode >= 1 && bytes.length >= MIN_LENGTH[mode]! ? 'confirmed' : 'rejected';
}

const MODE_CLIENT = 3;
const MODE_SERVER = 4;

/** A server message from the originator or a client message from the responder: Zeek's NTP analyzer turns the roles. */
function sentByOtherRole(bytes: Uint8Array, dir: Direction): boolean {
  return ntpMessage(bytes) === 'confirmed' && (bytes[0]! & 0x07) === (dir === 'orig' ? MODE_SERVER : MODE_CLIENT);
}

export const ntpIdentifier = identifier({
  name: 'ntp',
  transport: 'udp',
  ports: NTP_PORTS,
  signature: () => false,
  check: ntpMessage,
  turns: sentByOtherRole,
});
