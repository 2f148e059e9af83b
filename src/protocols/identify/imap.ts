// IMAP (RFC 9051): confirmed once the server greeted with an untagged `* OK` (or `* PREAUTH`) and the
// client sent a tagged command. After STARTTLS the connection may switch to TLS, which names `ssl` too.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';
import { lineAt, startsWith } from './lines.js';
import { STARTTLS } from './tls.js';

/** Zeek's IMAP::ports. */
const IMAP_PORTS = [143];
/** A tag (no space or control character) and a command keyword (RFC 9051 §2.2.1). */
const TAGGED_COMMAND = /^[!#-~]{1,64} [A-Za-z]/;

export function imapExchange(bytes: Uint8Array, dir: Direction, peer: Uint8Array): Verdict {
  const [client, server] = dir === 'orig' ? [bytes, peer] : [peer, bytes];
  const greeting = lineAt(server, 0);
  if (greeting === undefined) return 'more';
  if (!startsWith(greeting, '* OK') && !startsWith(greeting, '* PREAUTH')) return 'rejected';
  const command = lineAt(client, 0);
  if (command === undefined) return 'more';
  return TAGGED_COMMAND.test(Buffer.from(command.subarray(0, 66)).toString('latin1')) ? 'confirmed' : 'rejected';
}

export const imapIdentifier = identifier({
  name: 'imap',
  transport: 'tcp',
  ports: IMAP_PORTS,
  signature: () => false,
  check: imapExchange,
  then: STARTTLS,
});
