// The protocol identifiers, tried after the full analyzers (../index.ts) in this order.
import type { AppProtocol } from '../analyzer.js';
import { dceRpcIdentifier } from './dce-rpc.js';
import { dhcpIdentifier } from './dhcp.js';
import { dtlsIdentifier } from './dtls.js';
import { imapIdentifier } from './imap.js';
import { ircIdentifier } from './irc.js';
import { krbTcpIdentifier } from './krb.js';
import { modbusIdentifier } from './modbus.js';
import { mysqlIdentifier } from './mysql.js';
import { ntpIdentifier } from './ntp.js';
import { pop3Identifier } from './pop3.js';
import { quicIdentifier } from './quic.js';
import { rdpeudpIdentifier } from './rdpeudp.js';
import { sshIdentifier } from './ssh.js';
import { syslogTcpIdentifier } from './syslog.js';
import { tlsIdentifier } from './tls.js';
import { xmppIdentifier } from './xmpp.js';

export const IDENTIFIERS: readonly AppProtocol[] = [
  // Those with a signature (found by their first bytes on any port) first, so that a protocol taking its port
  // whatever the bytes does not take their connections.
  tlsIdentifier, sshIdentifier, dtlsIdentifier, dceRpcIdentifier,
  quicIdentifier, dhcpIdentifier, ntpIdentifier, pop3Identifier, imapIdentifier, xmppIdentifier, ircIdentifier,
  mysqlIdentifier, krbTcpIdentifier, syslogTcpIdentifier, rdpeudpIdentifier, modbusIdentifier,
];
