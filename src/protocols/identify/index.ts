// The protocol identifiers, tried after the full analyzers (index.ts) in this order.
import type { AppProtocol } from '../analyzer.js';
import { dhcpIdentifier } from './dhcp.js';
import { imapIdentifier } from './imap.js';
import { ircIdentifier } from './irc.js';
import { krbTcpIdentifier } from './krb.js';
import { mysqlIdentifier } from './mysql.js';
import { pop3Identifier } from './pop3.js';
import { quicIdentifier } from './quic.js';
import { rdpeudpIdentifier } from './rdpeudp.js';
import { sshIdentifier } from './ssh.js';
import { syslogTcpIdentifier } from './syslog.js';
import { tlsIdentifier } from './tls.js';
import { xmppIdentifier } from './xmpp.js';

export const IDENTIFIERS: readonly AppProtocol[] = [
  tlsIdentifier, sshIdentifier, quicIdentifier, dhcpIdentifier, pop3Identifier, imapIdentifier, xmppIdentifier, ircIdentifier,
  mysqlIdentifier, krbTcpIdentifier, syslogTcpIdentifier, rdpeudpIdentifier,
];
