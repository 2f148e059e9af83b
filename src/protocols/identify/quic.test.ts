import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flows, pcap, runCapture, udpFrame } from '../../../test/packets.js';
import { APP_PROTOCOLS } from '../index.js';
import { clientInitialKeys, quicClientInitial, quicIdentifier } from './quic.js';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
// RFC 9001 Appendix A.1 and RFC 9369 Appendix A.1: the client Initial keys for this Destination Connection ID.
const DCID = hex('8394c8f03e515708');
const V1 = { version: 0x00000001, first: 0xc3, key: hex('1f369613dd76d5467730efcbe3b1a22d'), iv: hex('fa044b2f42a3fd3b46fb255c'), hp: hex('9f50449e04a0e810283a1e9933adedd2') };
const V2 = { version: 0x6b3343cf, first: 0xd3, key: hex('8b1a0bc121284290a29e0971b5cd045d'), iv: hex('91f73e2351d8fa91660e909f'), hp: hex('45b95e15235d6f45a6b19cbcb0294ba9') };

/** A CRYPTO frame (type 6, offset, length) carrying the start of a ClientHello (RFC 9001 A.2's first bytes). */
const CLIENT_HELLO = hex('060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578616d706c652e636f6dff01000100000a00080006001d0017001800100007000504616c706e000500050100000000');

/**
 * Protects an Initial packet as a client does (RFC 9001 §5.3, §5.4) with the given RFC keys: 4-byte packet
 * number 2, payload padded to 1162 bytes, then AEAD and header protection.
 */
function initialPacket(keys: typeof V1, frames: Buffer): Buffer {
  const payload = Buffer.concat([frames, Buffer.alloc(1162 - frames.length)]);
  const pn = Buffer.from([0, 0, 0, 2]);
  const length = payload.length + pn.length + 16;
  const version = Buffer.alloc(4);
  version.writeUInt32BE(keys.version);
  const header = Buffer.concat([Buffer.from([keys.first]), version, Buffer.from([DCID.length]), DCID, Buffer.from([0, 0, 0x40 | (length >> 8), length & 0xff]), pn]);
  const nonce = Buffer.from(keys.iv);
  nonce[11]! ^= 2;
  const cipher = createCipheriv('aes-128-gcm', keys.key, nonce);
  cipher.setAAD(header);
  const sealed = Buffer.concat([cipher.update(payload), cipher.final(), cipher.getAuthTag()]);
  const pnOffset = header.length - 4;
  const mask = createCipheriv('aes-128-ecb', keys.hp, null).update(sealed.subarray(0, 16));
  header[0]! ^= mask[0]! & 0x0f;
  for (let i = 0; i < 4; i++) header[pnOffset + i]! ^= mask[1 + i]!;
  return Buffer.concat([header, sealed]);
}

describe('QUIC identification', () => {
  it('derives the client Initial keys of RFC 9001 and RFC 9369', () => {
    for (const v of [V1, V2]) expect(clientInitialKeys(v.version, DCID)).toEqual({ key: v.key, iv: v.iv, hp: v.hp });
    expect(clientInitialKeys(0xff00001d, DCID)).toBeUndefined();
  });

  it('confirms quic, then ssl, on a client Initial of version 1 or 2 carrying a ClientHello', () => {
    for (const v of [V1, V2]) {
      const packet = initialPacket(v, CLIENT_HELLO);
      expect(quicClientInitial(packet, 'orig')).toBe('confirmed');
      expect(quicIdentifier.matches({ uid: 'C', proto: 'udp', src_ip: 'a', src_port: 5000, dst_ip: 'b', dst_port: 4433 }, packet, 'orig')).toBe(true);
    }
  });

  it('finds the ClientHello after PADDING, PING and ACK frames and past CRYPTO frames at later offsets', () => {
    const before = hex('0000000001' + '0200000000' + '0640200400000000');
    expect(quicClientInitial(initialPacket(V1, Buffer.concat([before, CLIENT_HELLO])), 'orig')).toBe('confirmed');
    // Only a later part of the handshake: not the start of a ClientHello.
    expect(quicClientInitial(initialPacket(V1, hex('0640200400000000')), 'orig')).toBe('rejected');
  });

  it('rejects a damaged packet, a server datagram, other versions and short or random bytes without throwing', () => {
    const damaged = initialPacket(V1, CLIENT_HELLO);
    damaged[damaged.length - 40]! ^= 1;
    expect(quicClientInitial(damaged, 'orig')).toBe('rejected');
    expect(quicClientInitial(initialPacket(V1, CLIENT_HELLO), 'resp')).toBe('rejected');
    const draft = initialPacket(V1, CLIENT_HELLO);
    draft.writeUInt32BE(0xff00001d, 1);
    expect(quicClientInitial(draft, 'orig')).toBe('rejected');
    const packet = initialPacket(V1, CLIENT_HELLO);
    for (let cut = 0; cut < 80; cut++) expect(quicClientInitial(packet.subarray(0, cut), 'orig')).toBe('rejected');
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const noise = Buffer.alloc(64, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
      noise[0] = 0xc0;
      expect(quicClientInitial(noise, 'orig')).toBe('rejected');
    }
  });

  it('names the service quic,ssl on a capture, in Zeek\'s order, and keeps the datagrams sampled', async () => {
    const initial = initialPacket(V1, CLIENT_HELLO);
    const { events } = await runCapture(pcap([
      { ts: 1_700_000_000, data: udpFrame('10.0.0.1', '10.0.0.2', 50000, 443, initial) },
      { ts: 1_700_000_000.1, data: udpFrame('10.0.0.2', '10.0.0.1', 443, 50000, Buffer.alloc(1200, 7)) },
    ]), {}, APP_PROTOCOLS);
    expect(flows(events).map((f) => f.service)).toEqual(['quic,ssl']);
    expect(events.filter((e) => e.kind === 'payload').map((e) => e.kind === 'payload' && e.sample.total)).toEqual([initial.length, 1200]);
  });
});
