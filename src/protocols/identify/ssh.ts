// SSH: confirmed, as Zeek's SSH analyzer confirms, once both sides have sent their version banner
// (`SSH-2.0-software`, RFC 4253 §4.2) and either side's key exchange reaches NEWKEYS (SSH-1: the client's
// SESSION_KEY). A server may send other lines before its banner, so it is looked for at each line start.
// Seeing only one side (a half-duplex capture) or a key exchange past the window confirms nothing.
import type { Direction } from '../analyzer.js';
import { identifier, matchPrefix, type ByteTest, type Verdict } from './identifier.js';

const SSH_PORTS = [22];
/** Key exchange bytes held per direction: banners, KEXINITs, DH values, host keys and signatures. */
const WINDOW = 32 * 1024;
/** RFC 4253: the banner line is at most 255 bytes; binary packets at most 35 000. */
const MAX_BANNER = 255;
const MAX_PACKET = 35_000;
const SSH2_MSG_NEWKEYS = 21;
const SSH1_CMSG_SESSION_KEY = 3;

const letter = (lower: number): ByteTest => (b) => (b | 0x20) === lower;
/** `SSH-1.` or `SSH-2.`, letters in any case as Zeek's signature allows. */
const BANNER: ByteTest[] = [letter(0x73), letter(0x73), letter(0x68), 0x2d, (b) => b === 0x31 || b === 0x32, 0x2e];
const DASH = 0x2d;
const LF = 0x0a;

interface Banner {
  /** SSH protocol version 1 or 2 (`1.99` is a server speaking both: 2). */
  version: 1 | 2;
  /** Where the binary packets begin, after the banner line. */
  end: number;
}

/** The banner of one direction, `more` while it may still come, `rejected` when it cannot. */
export function findBanner(bytes: Uint8Array): Banner | 'more' | 'rejected' {
  let line = 0;
  while (line < bytes.length) {
    const prefix = matchPrefix(bytes.subarray(line), BANNER);
    if (prefix === 'more') return 'more';
    const lf = bytes.indexOf(LF, line);
    if (prefix === 'confirmed') {
      // The protocol version is followed by `-softwareversion` on the same line.
      const dash = bytes.indexOf(DASH, line + BANNER.length);
      const complete = lf !== -1 && dash !== -1 && dash < lf && lf - line <= MAX_BANNER;
      if (complete) return { version: bytes[line + 4] === 0x32 || bytes[line + 6] === 0x39 ? 2 : 1, end: lf + 1 };
      return lf === -1 && bytes.length - line <= MAX_BANNER ? 'more' : 'rejected';
    }
    if (lf === -1) return 'more';
    line = lf + 1;
  }
  return 'more';
}

/** Walks the cleartext binary packets from `at` looking for the message that ends the key exchange. */
function reachesNewKeys(bytes: Uint8Array, at: number, version: 1 | 2, dir: Direction): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = at;
  while (pos + 6 <= bytes.length) {
    const length = view.getUint32(pos);
    if (length > MAX_PACKET) return false;
    if (version === 2) {
      // uint32 packet_length, byte padding_length, payload (message type first).
      if (length < 2) return false;
      if (bytes[pos + 5] === SSH2_MSG_NEWKEYS) return true;
      pos += 4 + length;
    } else {
      // uint32 length, 1–8 padding bytes, message type.
      const padding = 8 - (length % 8);
      if (pos + 4 + padding >= bytes.length) return false;
      if (dir === 'orig' && bytes[pos + 4 + padding] === SSH1_CMSG_SESSION_KEY) return true;
      pos += 4 + padding + length;
    }
  }
  return false;
}

export function sshHandshake(bytes: Uint8Array, dir: Direction, peer: Uint8Array): Verdict {
  const mine = findBanner(bytes);
  if (mine === 'rejected') return 'rejected';
  const theirs = findBanner(peer);
  if (mine === 'more' || typeof theirs === 'string') return 'more';
  const version = Math.min(mine.version, theirs.version) as 1 | 2;
  const other: Direction = dir === 'orig' ? 'resp' : 'orig';
  return reachesNewKeys(bytes, mine.end, version, dir) || reachesNewKeys(peer, theirs.end, version, other) ? 'confirmed' : 'more';
}

export const sshIdentifier = identifier({
  name: 'ssh',
  transport: 'tcp',
  ports: SSH_PORTS,
  signature: (first) => matchPrefix(first, BANNER) === 'confirmed',
  check: sshHandshake,
  window: WINDOW,
});
