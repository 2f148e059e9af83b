// DHCP (RFC 2131): confirmed on a BOOTP message (op BOOTREQUEST or BOOTREPLY, a hardware address length
// that fits chaddr) carrying the DHCP magic cookie after the fixed fields, as Zeek's DHCP analyzer parses it.
import { ANY, identifier, matchPrefix, type ByteTest, type Verdict } from './identifier.js';

/** Zeek's DHCP::ports. */
const DHCP_PORTS = [67, 68];
const COOKIE_OFFSET = 236;
const COOKIE = [0x63, 0x82, 0x53, 0x63];
/** op, htype, hlen (chaddr holds 16 bytes). */
const FIXED: ByteTest[] = [(b) => b === 1 || b === 2, ANY, (b) => b <= 16];

export function dhcpMessage(bytes: Uint8Array): Verdict {
  if (bytes.length < COOKIE_OFFSET + COOKIE.length || matchPrefix(bytes, FIXED) !== 'confirmed') return 'rejected';
  return matchPrefix(bytes.subarray(COOKIE_OFFSET), COOKIE);
}

export const dhcpIdentifier = identifier({
  name: 'dhcp',
  transport: 'udp',
  ports: DHCP_PORTS,
  signature: () => false,
  check: dhcpMessage,
});
