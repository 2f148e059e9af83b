// POP3 (RFC 1939): confirmed once the server greeted with `+OK`, the client sent a command and the server
// answered it with `+OK` or `-ERR`; a reply that is neither rules POP3 out (Zeek reports a violation then).
// After STLS (RFC 2595) the connection may switch to TLS, which names `ssl` too.
import type { Direction } from '../analyzer.js';
import { identifier, type Verdict } from './identifier.js';
import { lineAt, startsWith } from './lines.js';
import { STARTTLS } from './tls.js';

/** Zeek's POP3::ports. */
const POP3_PORTS = [110];
/** A command: a keyword of 3 or 4 letters (RFC 1939 §3), alone or followed by a space. */
const COMMAND = /^[A-Za-z]{3,4}( |$)/;

export function pop3Exchange(bytes: Uint8Array, dir: Direction, peer: Uint8Array): Verdict {
  const [client, server] = dir === 'orig' ? [bytes, peer] : [peer, bytes];
  const greeting = lineAt(server, 0);
  if (greeting === undefined) return 'more';
  if (!startsWith(greeting, '+OK')) return 'rejected';
  const command = lineAt(client, 0);
  if (command === undefined) return 'more';
  if (!COMMAND.test(Buffer.from(command.subarray(0, 5)).toString('latin1'))) return 'rejected';
  const reply = lineAt(server, 1);
  if (reply === undefined) return 'more';
  return startsWith(reply, '+OK') || startsWith(reply, '-ERR') ? 'confirmed' : 'rejected';
}

export const pop3Identifier = identifier({
  name: 'pop3',
  transport: 'tcp',
  ports: POP3_PORTS,
  signature: () => false,
  check: pop3Exchange,
  then: STARTTLS,
});
