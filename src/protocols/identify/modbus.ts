// Modbus/TCP: confirmed on an MBAP header (protocol identifier 0, a length of 2–254 covering unit and
// PDU) followed by a function code (1–127, or an exception reply with the high bit set from the server).
import type { Direction } from '../analyzer.js';
import { ANY, identifier, matchPrefix, type Verdict } from './identifier.js';

const MODBUS_PORTS = [502];
const MAX_PDU_LENGTH = 254;

export function modbusFrame(bytes: Uint8Array, dir: Direction): Verdict {
  const header = matchPrefix(bytes, [ANY, ANY, 0, 0, 0, (b) => b >= 2 && b <= MAX_PDU_LENGTH, ANY]);
  if (header !== 'confirmed') return header;
  if (bytes.length < 8) return 'more';
  const fn = bytes[7]!;
  return fn >= 1 && (fn <= 127 || dir === 'resp') ? 'confirmed' : 'rejected';
}

export const modbusIdentifier = identifier({
  name: 'modbus',
  transport: 'tcp',
  ports: MODBUS_PORTS,
  signature: () => false,
  check: modbusFrame,
});
