// Syslog over TCP (RFC 6587, Zeek's `syslog_tcp`): confirmed on a first message from the client that opens
// with a PRI (`<0>` … `<191>`), after an octet count in octet-counting framing (`51 <13>Oct 11 …`).
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';

const SYSLOG_PORTS = [514];
const MAX_COUNT_DIGITS = 9;
const MAX_PRI = 191;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Reads digits from `at`: their value and where they end (at most `max` digits). */
function digits(bytes: Uint8Array, at: number, max: number): { value: number; end: number } {
  let value = 0;
  let end = at;
  while (end < bytes.length && end - at < max && isDigit(bytes[end])) value = value * 10 + bytes[end++]! - 0x30;
  return { value, end };
}

export function syslogMessage(bytes: Uint8Array, dir: Direction): Verdict {
  if (dir !== 'orig') return 'rejected';
  let at = 0;
  if (isDigit(bytes[0])) {
    const count = digits(bytes, 0, MAX_COUNT_DIGITS + 1);
    if (count.end > MAX_COUNT_DIGITS) return 'rejected';
    if (count.end === bytes.length) return 'more';
    if (bytes[count.end] !== 0x20) return 'rejected';
    at = count.end + 1;
  }
  if (at >= bytes.length) return 'more';
  if (bytes[at] !== 0x3c) return 'rejected';
  const pri = digits(bytes, at + 1, 3);
  if (pri.end === bytes.length) return 'more';
  return pri.end > at + 1 && bytes[pri.end] === 0x3e && pri.value <= MAX_PRI ? 'confirmed' : 'rejected';
}

export const syslogTcpIdentifier = identifier({
  name: 'syslog_tcp',
  transport: 'tcp',
  ports: SYSLOG_PORTS,
  signature: () => false,
  check: syslogMessage,
});
