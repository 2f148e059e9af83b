// XMPP (RFC 6120): confirmed once both sides opened their XML stream (`<stream:stream`, possibly after an
// XML declaration). After STARTTLS (§5) the connection may switch to TLS, which names `ssl` too.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';
import { STARTTLS } from './tls.js';

/** Zeek's XMPP ports: client-to-server and server-to-server. */
const XMPP_PORTS = [5222, 5269];
const STREAM_OPEN = Buffer.from('<stream:stream', 'latin1');
/** Bytes in which the stream must open: an XML declaration and whitespace may come first. */
const MAX_HEAD = 256;

function opensStream(bytes: Uint8Array): Verdict {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, MAX_HEAD));
  if (head.indexOf(STREAM_OPEN) !== -1) return 'confirmed';
  if (bytes.length > 0 && bytes[0] !== 0x3c) return 'rejected'; // not `<`
  return bytes.length >= MAX_HEAD ? 'rejected' : 'more';
}

export function xmppStreams(bytes: Uint8Array, _dir: Direction, peer: Uint8Array): Verdict {
  const mine = opensStream(bytes);
  if (mine !== 'confirmed') return mine;
  // The peer's bytes may still be on their way: its verdict decides only once it has sent them.
  const theirs = opensStream(peer);
  return theirs === 'rejected' ? 'more' : theirs;
}

export const xmppIdentifier = identifier({
  name: 'xmpp',
  transport: 'tcp',
  ports: XMPP_PORTS,
  signature: () => false,
  check: xmppStreams,
  then: STARTTLS,
});
