// Application protocols the flow table hands connections to, in matching order.
import type { AppProtocol } from './analyzer.js';
import { dnsProtocols } from './dns/dns.js';
import { ftpProtocol } from './ftp/ftp.js';
import { IDENTIFIERS } from './identify/index.js';
import { httpProtocol } from './http/http.js';
import { icmpProtocol } from './icmp/icmp.js';
import type { AppProtocolOptions } from './options.js';
import { appProtocolOptions } from './options.js';
import { smtpProtocol } from './smtp/smtp.js';
import { websocketProtocol } from './http/websocket.js';

/**
 * The protocols with the configured limits (config section `readers.pcap.protocols`), those `enabled` by
 * name only (tunnels inside HTTP are looked for among the enabled ones too).
 */
export function appProtocols(options: AppProtocolOptions, enabled: (name: string) => boolean = () => true): AppProtocol[] {
  const protocols: AppProtocol[] = [];
  // HTTP tunnels (CONNECT, Upgrade) and WebSocket frames carry any of the others, HTTP included. Protocols only identified
  // (their service named) come after the ones parsed.
  const all = [httpProtocol(options.http, () => protocols), ...dnsProtocols(options.dns), ftpProtocol(options.ftp), smtpProtocol(options.smtp), icmpProtocol(options.icmp), websocketProtocol(() => protocols), ...IDENTIFIERS];
  protocols.push(...all.filter((protocol) => enabled(protocol.name)));
  return protocols;
}

export const APP_PROTOCOLS: readonly AppProtocol[] = appProtocols(appProtocolOptions.parse({}));
