// Application protocols the flow table hands connections to, in matching order.
import type { AppProtocol } from './analyzer.js';
import { dnsProtocols } from './dns/dns.js';
import { ftpProtocol } from './ftp/ftp.js';
import { httpProtocol } from './http/http.js';
import { icmpProtocol } from './icmp/icmp.js';
import { smtpProtocol } from './smtp/smtp.js';

export const APP_PROTOCOLS: readonly AppProtocol[] = [httpProtocol(), ...dnsProtocols(), ftpProtocol(), smtpProtocol(), icmpProtocol()];
