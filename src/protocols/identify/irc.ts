// IRC (RFC 2812): confirmed on a numeric reply from the server (`:prefix NNN target …`). After STARTTLS
// (numeric 670) the connection may switch to TLS, which names `ssl` too.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';
import { lineAt } from './lines.js';
import { STARTTLS } from './tls.js';

/** Zeek's IRC ports. */
const IRC_PORTS = [6666, 6667, 6668, 6669];
/** A prefix without spaces, then a three-digit numeric. */
const NUMERIC_REPLY = /^:[^ ]{1,255} [0-9]{3} /;
/** Server lines read before giving up (notices may come first). */
const MAX_LINES = 16;

export function ircReply(bytes: Uint8Array, dir: Direction): Verdict {
  if (dir !== 'resp') return 'rejected';
  for (let index = 0; index < MAX_LINES; index++) {
    const line = lineAt(bytes, index);
    if (line === undefined) return 'more';
    if (NUMERIC_REPLY.test(Buffer.from(line.subarray(0, 262)).toString('latin1'))) return 'confirmed';
  }
  return 'rejected';
}

export const ircIdentifier = identifier({
  name: 'irc',
  transport: 'tcp',
  ports: IRC_PORTS,
  signature: () => false,
  check: ircReply,
  then: STARTTLS,
});
