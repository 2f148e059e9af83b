// IP address text in one canonical form, so the same address logged by different sources (a kernel's
// zero-padded `2001:0db8:0000:…`, Zeek's compressed form) compares equal: IPv6 as RFC 5952 section 4.

/** Dotted-quad text of the 4 address bytes at `at`. */
export function formatIpv4(bytes: Uint8Array, at = 0): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

/** RFC 5952 text of the 16 address bytes at `at`: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array, at = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[at + i]! << 8) | bytes[at + i + 1]!);
  // IPv4-mapped addresses keep their dotted tail (section 5).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${formatIpv4(bytes, at + 12)}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function parseGroups(part: string): number[] | undefined {
  if (part.length === 0) return [];
  const groups: number[] = [];
  for (const text of part.split(':')) {
    if (text.length === 0 || text.length > 4) return undefined;
    const n = Number.parseInt(text, 16);
    if (!/^[0-9a-fA-F]+$/.test(text) || !Number.isInteger(n)) return undefined;
    groups.push(n);
  }
  return groups;
}

/** An IPv6 address's bytes from its text (full, compressed, or with a trailing dotted IPv4); undefined if invalid. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length > 45 || !text.includes(':')) return undefined;
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.indexOf('.', lastColon) !== -1) {
    const quad = body.slice(lastColon + 1).split('.').map(Number);
    if (quad.length !== 4 || quad.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
    tail.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
    // Drop the IPv4 and its colon, unless that colon is half of a `::`.
    body = body.endsWith('::', lastColon + 1) ? body.slice(0, lastColon + 1) : body.slice(0, lastColon);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const rest = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** The canonical text of an IP address; IPv4 and anything unparsable are returned unchanged. */
export function canonicalIp(text: string): string {
  const bytes = parseIpv6(text);
  return bytes === undefined ? text : formatIpv6(bytes);
}
