// The protocol identifiers, tried after the full analyzers (index.ts) in this order: a protocol found by its
// first bytes on any port (a signature) must come before one that takes its port whatever the bytes.
import type { AppProtocol } from '../analyzer.js';
import { dceRpcIdentifier } from './dce-rpc.js';
import { dhcpIdentifier } from './dhcp.js';
import { imapIdentifier } from './imap.js';
import { ircIdentifier } from './irc.js';
import { krbTcpIdentifier } from './krb.js';
import { modbusIdentifier } from './modbus.js';
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
  // DCE/RPC is found by its header on any port, so before the protocols that claim a port whatever comes.
  dceRpcIdentifier, modbusIdentifier,
];
