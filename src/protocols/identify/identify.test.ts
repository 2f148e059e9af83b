import { describe, expect, it } from 'vitest';
import { flows, pcap, runCapture, tcpConversation } from '../../../test/packets.js';
import type { ConnectionInfo, DatagramAnalyzer, Direction, StreamAnalyzer } from '../analyzer.js';
import { RecordingContext } from '../common/test-context.js';
import { identifier, type Verdict } from './identifier.js';
import { dceRpcIdentifier } from './dce-rpc.js';
import { dhcpIdentifier } from './dhcp.js';
import { dtlsIdentifier } from './dtls.js';
import { IDENTIFIERS } from './index.js';
import { imapIdentifier } from './imap.js';
import { krbTcpIdentifier } from './krb.js';
import { modbusIdentifier } from './modbus.js';
import { mysqlIdentifier } from './mysql.js';
import { ntpIdentifier } from './ntp.js';
import { rdpeudpIdentifier } from './rdpeudp.js';
import { syslogTcpIdentifier } from './syslog.js';
import { ircIdentifier } from './irc.js';
import { pop3Identifier } from './pop3.js';
import { xmppIdentifier } from './xmpp.js';
import { sshIdentifier } from './ssh.js';
import { tlsIdentifier } from './tls.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const conn = (dst_port: number): ConnectionInfo => ({ uid: 'Cid', proto: 'tcp', src_ip: '10.0.0.1', src_port: 40000, dst_ip: '192.0.2.9', dst_port });

/** Feeds [direction, bytes] pieces, each cut into `step`-byte deliveries, and returns the services confirmed. */
function identify(protocol: typeof tlsIdentifier, port: number, pieces: [Direction, Uint8Array][], step = Infinity): string[] {
  const ctx = new RecordingContext(conn(port));
  const analyzer = protocol.create(ctx) as StreamAnalyzer;
  for (const [dir, bytes] of pieces) {
    const size = Number.isFinite(step) ? step : bytes.length;
    for (let at = 0; at < bytes.length; at += size) analyzer.data(dir, bytes.subarray(at, at + size), 1);
  }
  analyzer.end(2);
  return ctx.services;
}

// The first bytes of the ClientHello and ServerHello of Zeek's tls/ecdhe.pcap (TLS 1.2 record, TLS 1.0 hello record version).
const CLIENT_HELLO = hex('160301009f0100009b0303ef18769dd170a048a025925479f1a573610851d30a1f3e7267836932797def95000004c01400ff0201');
const SERVER_HELLO = hex('160303003d020000390303535bdbf95cb1fbd2e5c1f3605984d826eca11a8562b3c36d1f70fa44ba2f723c00c014');

describe('TLS identification', () => {
  it('confirms ssl on a ClientHello or a ServerHello, delivered whole or a byte at a time', () => {
    expect(identify(tlsIdentifier, 443, [['orig', CLIENT_HELLO]])).toEqual(['ssl']);
    expect(identify(tlsIdentifier, 443, [['orig', CLIENT_HELLO]], 1)).toEqual(['ssl']);
    expect(identify(tlsIdentifier, 443, [['resp', SERVER_HELLO]], 3)).toEqual(['ssl']);
  });

  it('confirms an SSLv2-format ClientHello (record length with the high bit, CLIENT-HELLO, version 3.1)', () => {
    expect(identify(tlsIdentifier, 443, [['orig', hex('802e0103010015000000100700c0030080')]])).toEqual(['ssl']);
  });

  it('rejects a hello in the wrong direction, other record types and plaintext on a TLS port', () => {
    expect(identify(tlsIdentifier, 443, [['resp', CLIENT_HELLO], ['orig', SERVER_HELLO]])).toEqual([]);
    expect(identify(tlsIdentifier, 443, [['orig', hex('170303001a')], ['resp', hex('15030300020250')]])).toEqual([]);
    expect(identify(tlsIdentifier, 443, [['orig', Buffer.from('GET / HTTP/1.1\r\n\r\n')]])).toEqual([]);
    // A handshake record whose hello names version 2.0 is not TLS.
    expect(identify(tlsIdentifier, 443, [['orig', hex('16030100310100002d0200')]])).toEqual([]);
  });

  it('takes a TLS port whatever the content, and any port when the first bytes are a hello', () => {
    expect(tlsIdentifier.matches(conn(993), new Uint8Array(1), 'orig')).toBe(true);
    expect(tlsIdentifier.matches(conn(5228), CLIENT_HELLO, 'orig')).toBe(true);
    expect(tlsIdentifier.matches(conn(5228), CLIENT_HELLO.subarray(0, 8), 'orig')).toBe(false);
    expect(tlsIdentifier.matches(conn(5228), SERVER_HELLO, 'orig')).toBe(false);
  });
});

// Banners and the NEWKEYS packet of Zeek's ssh/single-conn.pcap; the KEXINIT is built per RFC 4253 §7.1.
const SERVER_BANNER = Buffer.from('SSH-1.99-OpenSSH_3.9p1\n');
const CLIENT_BANNER = Buffer.from('SSH-2.0-OpenSSH_3.8.1p1\n');
const NEWKEYS = hex('0000000c0a1500000000000000000000');

/** An SSH-2 binary packet: uint32 packet_length, byte padding_length, payload, padding. */
function packet(type: number, payloadLength: number): Uint8Array {
  const padding = 8 - ((5 + payloadLength) % 8) + 4;
  const out = new Uint8Array(4 + 1 + payloadLength + padding);
  new DataView(out.buffer).setUint32(0, 1 + payloadLength + padding);
  out[4] = padding;
  out[5] = type;
  return out;
}
const KEXINIT = packet(20, 600);
const join = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

describe('SSH identification', () => {
  it('confirms ssh when both sides sent a banner and the key exchange reaches NEWKEYS', () => {
    const pieces: [Direction, Uint8Array][] = [['resp', SERVER_BANNER], ['orig', join(CLIENT_BANNER, KEXINIT)], ['resp', KEXINIT], ['orig', NEWKEYS]];
    expect(identify(sshIdentifier, 22, pieces)).toEqual(['ssh']);
    expect(identify(sshIdentifier, 22, pieces, 7)).toEqual(['ssh']);
  });

  it('does not confirm on one side alone (a half-duplex capture) or before NEWKEYS', () => {
    expect(identify(sshIdentifier, 22, [['orig', join(CLIENT_BANNER, KEXINIT, NEWKEYS)]])).toEqual([]);
    expect(identify(sshIdentifier, 22, [['resp', SERVER_BANNER], ['orig', join(CLIENT_BANNER, KEXINIT)], ['resp', KEXINIT]])).toEqual([]);
  });

  it('does not join bytes across a gap: a NEWKEYS after missing bytes is not read as the key exchange\'s', () => {
    const ctx = new RecordingContext(conn(22));
    const ssh = sshIdentifier.create(ctx) as StreamAnalyzer;
    ssh.data('resp', SERVER_BANNER, 1);
    ssh.data('orig', join(CLIENT_BANNER, KEXINIT), 1);
    ssh.gap('orig', 500, 2);
    ssh.data('orig', NEWKEYS, 3);
    ssh.end(4);
    expect(ctx.services).toEqual([]);
  });

  it('finds a server banner after other lines (RFC 4253 §4.2 lets servers send them first)', () => {
    const pre = Buffer.from('Welcome to the gateway\r\nauthorized use only\r\n');
    expect(identify(sshIdentifier, 22, [['resp', join(pre, SERVER_BANNER)], ['orig', join(CLIENT_BANNER, KEXINIT, NEWKEYS)]])).toEqual(['ssh']);
  });

  it('stops at a packet length over 35 000 bytes and at banners without a software version', () => {
    const huge = hex('7fffffff0a15');
    expect(identify(sshIdentifier, 22, [['resp', SERVER_BANNER], ['orig', join(CLIENT_BANNER, huge, NEWKEYS)]])).toEqual([]);
    expect(identify(sshIdentifier, 22, [['resp', Buffer.from('SSH-2.0\n')], ['orig', join(CLIENT_BANNER, NEWKEYS)]])).toEqual([]);
  });

  it('takes port 22, and other ports when the first bytes are a banner', () => {
    expect(sshIdentifier.matches(conn(2200), Buffer.from('SSH-2.0-x'), 'resp')).toBe(true);
    expect(sshIdentifier.matches(conn(2200), Buffer.from('SSH-3.0-x'), 'resp')).toBe(false);
  });
});

describe('identifiers', () => {
  it('check a stream a number of times logarithmic in its length, however finely it is cut', () => {
    let checks = 0;
    const never = identifier({ name: 'never', transport: 'tcp', ports: [1], signature: () => false, check: (): Verdict => (checks++, 'more'), window: 32 * 1024 });
    expect(identify(never, 1, [['orig', new Uint8Array(40_000)]], 1)).toEqual([]);
    expect(checks).toBeGreaterThan(1);
    expect(checks).toBeLessThan(40);
  });

  it('leave payload sampling on: an identified TLS connection has its flow service and payload events', async () => {
    const { events } = await runCapture(pcap(tcpConversation({ dport: 443, request: CLIENT_HELLO, response: 'x' })), {}, IDENTIFIERS);
    expect(flows(events)[0]?.service).toBe('ssl');
    expect(events.filter((e) => e.kind === 'payload').map((e) => e.kind === 'payload' && [e.direction, e.sample.total])).toEqual([['out', CLIENT_HELLO.length], ['in', 1]]);
  });
});

/** A DHCPDISCOVER per RFC 2131 §2: BOOTREQUEST, Ethernet, 6-byte address, the magic cookie, option 53 = 1. */
function dhcpDiscover(): Uint8Array {
  const message = new Uint8Array(244);
  message.set([1, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26]);
  message.set([0x00, 0x0c, 0x29, 0x36, 0x57, 0xd2], 28);
  message.set([0x63, 0x82, 0x53, 0x63, 53, 1, 1, 255], 236);
  return message;
}

describe('DHCP identification', () => {
  const udp = { ...conn(67), proto: 'udp' as const };
  const datagrams = (...messages: Uint8Array[]): string[] => {
    const ctx = new RecordingContext(udp);
    const analyzer = dhcpIdentifier.create(ctx) as DatagramAnalyzer;
    for (const message of messages) analyzer.datagram('orig', message, 1);
    return ctx.services;
  };

  it('confirms dhcp on a BOOTP message with the magic cookie', () => {
    expect(datagrams(dhcpDiscover())).toEqual(['dhcp']);
  });

  it('rejects a wrong cookie, an unknown op, an oversized hardware address and short datagrams', () => {
    const cookie = dhcpDiscover();
    cookie[239] = 0x64;
    const op = dhcpDiscover();
    op[0] = 3;
    const hlen = dhcpDiscover();
    hlen[2] = 17;
    expect(datagrams(cookie, op, hlen, dhcpDiscover().subarray(0, 239))).toEqual([]);
  });
});

// Lines of Zeek's pop3/pop3.pcap and pop3/bad-list-retr-crafted.pcap.
const text = (line: string): Uint8Array => Buffer.from(`${line}\r\n`, 'latin1');

describe('POP3 identification', () => {
  it('confirms pop3 when the server greets with +OK and answers the first command with +OK or -ERR', () => {
    const pieces: [Direction, Uint8Array][] = [['resp', text('+OK POP server ready H mimap15 0LfD5x-1VsVU4327M-00pHSn')], ['orig', text('AUTH')], ['resp', text('-ERR 1 argument required')]];
    expect(identify(pop3Identifier, 110, pieces)).toEqual(['pop3']);
    expect(identify(pop3Identifier, 110, pieces, 2)).toEqual(['pop3']);
  });

  it('rejects a reply that is neither +OK nor -ERR, and a greeting other than +OK', () => {
    expect(identify(pop3Identifier, 110, [['resp', text('+OK example.com POP3-Server')], ['orig', text('LIST')], ['resp', text('GARBAGE (and LIST response missing .)')]])).toEqual([]);
    expect(identify(pop3Identifier, 110, [['resp', text('220 smtp.example ESMTP')], ['orig', text('EHLO x')], ['resp', text('250 ok')]])).toEqual([]);
  });

  it('names ssl as well when the client starts TLS after STLS', () => {
    const pieces: [Direction, Uint8Array][] = [['resp', text('+OK ready')], ['orig', text('STLS')], ['resp', text('+OK Begin TLS negotiation')], ['orig', CLIENT_HELLO]];
    expect(identify(pop3Identifier, 110, pieces)).toEqual(['pop3', 'ssl']);
    expect(identify(pop3Identifier, 110, [...pieces.slice(0, 3), ['orig', text('QUIT')]])).toEqual(['pop3']);
  });
});

// Lines of Zeek's tls/imap-starttls.pcap, tls/xmpp-starttls.pcap and tls/irc-starttls.pcap.
describe('IMAP, XMPP and IRC identification, with STARTTLS', () => {
  it('confirms imap on an untagged OK greeting and a tagged command, then ssl after STARTTLS', () => {
    const pieces: [Direction, Uint8Array][] = [
      ['resp', text('* OK [CAPABILITY IMAP4rev1 CHILDREN ENABLE ID IDLE] IMAP server ready')], ['orig', text('. CAPABILITY')],
      ['resp', text('* CAPABILITY IMAP4rev1')], ['orig', text('. STARTTLS')], ['resp', text('. OK Begin TLS negotiation now')], ['orig', CLIENT_HELLO],
    ];
    expect(identify(imapIdentifier, 143, pieces)).toEqual(['imap', 'ssl']);
    expect(identify(imapIdentifier, 143, [['resp', text('+OK POP3 ready')], ['orig', text('. CAPABILITY')]])).toEqual([]);
  });

  it('confirms xmpp once both sides opened their stream, then ssl after <proceed/>', () => {
    const client = Buffer.from("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client' to='jabber.ccc.de' version='1.0'>");
    const server = Buffer.from("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='3a1d'>");
    const starttls = Buffer.from("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    const proceed = Buffer.from("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    expect(identify(xmppIdentifier, 5222, [['orig', client], ['resp', server], ['orig', starttls], ['resp', proceed], ['orig', CLIENT_HELLO]])).toEqual(['xmpp', 'ssl']);
    expect(identify(xmppIdentifier, 5222, [['orig', client]])).toEqual([]);
    expect(identify(xmppIdentifier, 5222, [['orig', client], ['resp', Buffer.from('HTTP/1.1 400 Bad Request\r\n')]])).toEqual([]);
  });

  it('confirms irc on a numeric server reply, then ssl after STARTTLS', () => {
    const pieces: [Direction, Uint8Array][] = [['orig', text('STARTTLS')], ['resp', text(':irc.joulunet.org 670  :STARTTLS successful, go ahead with TLS handshake')], ['orig', CLIENT_HELLO]];
    expect(identify(ircIdentifier, 6667, pieces)).toEqual(['irc', 'ssl']);
    expect(identify(ircIdentifier, 6667, [['resp', text(':irc.example NOTICE * :Looking up your hostname')]])).toEqual([]);
  });
});

describe('binary and datagram protocols', () => {
  it('confirms krb_tcp on a record marker and a KDC request or reply tag (Zeek\'s krb/optional-service-name.pcap)', () => {
    expect(identify(krbTcpIdentifier, 88, [['orig', hex('0000006a6a683066a103020105a20302010aa45a3058')]])).toEqual(['krb_tcp']);
    expect(identify(krbTcpIdentifier, 88, [['resp', hex('000000567e543052a003020105a10302011e')]], 1)).toEqual(['krb_tcp']);
    expect(identify(krbTcpIdentifier, 88, [['orig', hex('000000567e543052')], ['resp', hex('0000006a6a68')], ['orig', hex('7f0000006a')]])).toEqual([]);
  });

  it('confirms syslog_tcp on a PRI, with or without an octet count (Zeek\'s tcp-syslog*.pcap)', () => {
    expect(identify(syslogTcpIdentifier, 514, [['orig', Buffer.from("51 <13>Oct 11 22:14:15 mymachine su: 'su root' failed ")]])).toEqual(['syslog_tcp']);
    expect(identify(syslogTcpIdentifier, 514, [['orig', Buffer.from("<14>Oct 11 22:14:16 mymachine su: 'su root' failed\n")]], 2)).toEqual(['syslog_tcp']);
    for (const bad of ['<192>x', '<>x', '1234567890 <13>x', '51<13>x', 'GET / HTTP/1.1\r\n']) {
      expect(identify(syslogTcpIdentifier, 514, [['orig', Buffer.from(bad)]]), bad).toEqual([]);
    }
  });

  it('confirms mysql on the server greeting, and ssl when the client then starts TLS (Zeek\'s mysql/encrypted.pcap)', () => {
    const greeting = hex('6a0000000a352e352e352d31302e302e33362d4d6172696144422d307562756e7475302e31362e30342e310021000000746e4e762c74276000ffff2d02003fe015');
    const sslRequest = hex('2000000185ae3f20000000012d0000000000000000000000000000000000000000000000');
    expect(identify(mysqlIdentifier, 3306, [['resp', greeting], ['orig', sslRequest], ['orig', CLIENT_HELLO]], 9)).toEqual(['mysql', 'ssl']);
    const v9 = Uint8Array.from(greeting);
    v9[4] = 9;
    expect(identify(mysqlIdentifier, 3306, [['resp', v9]])).toEqual([]);
  });

  it('tells Modbus from DCE/RPC, RDP, ONC RPC and text on port 502 (Zeek\'s modbus/modbus-and-non-modbus-p502.pcap)', () => {
    const modbus = hex('0001000000060a0100000001');
    const dceBind = hex('05000b03100000004800000001000000b810b810');
    const others = ['800000287e86ab4a0000000000000002000186a3', '0300002b26e00000000000436f6f6b69653a206d73', '4d474c4e44445f3136302e39372e37302e33365f35'].map(hex);
    expect(identify(modbusIdentifier, 502, [['orig', modbus], ['resp', hex('0001000000040a010100')]])).toEqual(['modbus']);
    expect(identify(dceRpcIdentifier, 502, [['orig', dceBind]])).toEqual(['dce_rpc']);
    expect(dceRpcIdentifier.matches(conn(502), dceBind, 'orig')).toBe(true);
    for (const bytes of [dceBind, ...others]) expect(identify(modbusIdentifier, 502, [['orig', bytes]])).toEqual([]);
    for (const bytes of [modbus, ...others]) expect(identify(dceRpcIdentifier, 135, [['orig', bytes]])).toEqual([]);
  });

  it('confirms ntp on a time message of version 1-4 or a control message (Zeek\'s ntp/ntp.pcap)', () => {
    const client = hex('230206e800000091000006b7b6a580dbdcd2a7d77a05d46a00000000000000000000000000000000dcd2aa817b9f9bdc');
    const datagram = (bytes: Uint8Array): string[] => {
      const ctx = new RecordingContext({ ...conn(123), proto: 'udp' });
      (ntpIdentifier.create(ctx) as DatagramAnalyzer).datagram('orig', bytes, 1);
      return ctx.services;
    };
    expect(datagram(client)).toEqual(['ntp']);
    expect(datagram(hex('1602000100000000000000'.padEnd(24, '0')))).toEqual(['ntp']);
    expect(datagram(client.subarray(0, 47))).toEqual([]);
    expect(datagram(hex('030206e8'.padEnd(96, '0')))).toEqual([]);
  });

  it('turns an ntp conversation round once on a server message from the originator or a client one from the responder', () => {
    const client = hex('230206e800000091000006b7b6a580dbdcd2a7d77a05d46a00000000000000000000000000000000dcd2aa817b9f9bdc');
    const server = client.slice();
    server[0] = 0x24; // version 4, mode 4
    const flips = (messages: [Direction, Uint8Array][]): number => {
      const ctx = new RecordingContext({ ...conn(123), proto: 'udp' });
      const analyzer = ntpIdentifier.create(ctx) as DatagramAnalyzer;
      for (const [dir, bytes] of messages) analyzer.datagram(dir, bytes, 1);
      return ctx.flips;
    };
    expect(flips([['orig', client], ['resp', server]])).toBe(0);
    expect(flips([['orig', server], ['orig', server]])).toBe(1);
    // A message after the confirming one still turns it: Zeek's analyzer reads every message.
    expect(flips([['orig', client], ['orig', client], ['resp', client]])).toBe(1);
    expect(flips([['orig', server.subarray(0, 47)]])).toBe(0);
  });

  it('confirms dtls on a DTLS 1.2 ClientHello on any port (Zeek\'s tls/dtls1_2.pcap)', () => {
    const hello = hex('16fefd000000000000000000d70100011f00000000000000cbfefd06ac4343e7');
    const udp = { ...conn(4400), proto: 'udp' as const };
    expect(dtlsIdentifier.matches(udp, hello, 'orig')).toBe(true);
    const ctx = new RecordingContext(udp);
    (dtlsIdentifier.create(ctx) as DatagramAnalyzer).datagram('orig', hello, 1);
    expect(ctx.services).toEqual(['dtls']);
    // A TLS (not DTLS) record, a later epoch, and a hello sent by the responder are not.
    const epoch1 = Uint8Array.from(hello);
    epoch1[4] = 1;
    for (const [bytes, dir] of [[CLIENT_HELLO, 'orig'], [epoch1, 'orig'], [hello, 'resp']] as const) expect(dtlsIdentifier.matches(udp, bytes, dir)).toBe(false);
  });

  it('confirms rdpeudp when the server answers the client SYN with a SYN+ACK (Zeek\'s rdp/rdpeudp-handshake-*.pcap)', () => {
    const syn = hex('ffffffff004018010b127f1504d004d07855d064fbaf43f0');
    const synAck = hex('0b127f15004010050f94ea0b04d004d00001000200000000');
    const run = (datagrams: [Direction, Uint8Array][]): string[] => {
      const ctx = new RecordingContext({ ...conn(3389), proto: 'udp' });
      const analyzer = rdpeudpIdentifier.create(ctx) as DatagramAnalyzer;
      for (const [dir, datagram] of datagrams) analyzer.datagram(dir, datagram, 1);
      return ctx.services;
    };
    expect(run([['orig', syn], ['resp', synAck]])).toEqual(['rdpeudp']);
    expect(run([['orig', syn], ['orig', syn], ['orig', syn]])).toEqual([]);
    expect(run([['orig', synAck], ['resp', synAck]])).toEqual([]);
  });
});
