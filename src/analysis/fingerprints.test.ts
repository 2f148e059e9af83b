import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { blockAlignment, cipherFingerprint, pgpPacketHeader } from './fingerprints.js';
import { identifyFormat } from './magic.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./testdata/${name}`, import.meta.url)));

describe('cipher fingerprints of real tool output', () => {
  it('recognises openssl enc', () => {
    expect(cipherFingerprint(fixture('plain.txt.aes256cbc.enc'))?.name).toBe('openssl-salted');
  });

  it('recognises gpg -c with its cipher, old-format headers included', () => {
    const aes = cipherFingerprint(fixture('plain.txt.gpg'));
    expect(aes).toMatchObject({ name: 'openpgp-symmetric', cipher: 'AES-256', detail: 'SKESK + SEIPD packet' });
    expect(cipherFingerprint(fixture('plain.txt.cast5.gpg'))).toMatchObject({ name: 'openpgp-symmetric', cipher: 'CAST5' });
  });

  it('recognises new-format OpenPGP headers and SED packets', () => {
    // New-format SKESK (0xc3, length 13, v4, AES-128, iterated S2K) then a new-format SED (tag 9) packet.
    const skesk = [0xc3, 0x0d, 0x04, 0x07, 0x03, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0x60];
    const sed = [0xc9, 0x10, ...new Array(16).fill(0xaa)];
    expect(cipherFingerprint(Uint8Array.from([...skesk, ...sed]))).toMatchObject({ cipher: 'AES-128', detail: 'SKESK + SED packet' });
    expect(pgpPacketHeader(Uint8Array.from([0xd2, 0xc5, 0x01]), 0)).toEqual({ tag: 18, bodyStart: 3, bodyLength: 0x05 * 256 + 0x01 + 192 });
    expect(pgpPacketHeader(Uint8Array.from([0xd2, 0xff, 0, 0, 1, 0]), 0)).toEqual({ tag: 18, bodyStart: 6, bodyLength: 256 });
    expect(pgpPacketHeader(Uint8Array.from([0xd2, 0xe1]), 0)?.bodyLength).toBeUndefined();
  });

  it('rejects truncated or implausible OpenPGP packets', () => {
    expect(cipherFingerprint(Uint8Array.from([0x8c]))).toBeUndefined();
    expect(cipherFingerprint(Uint8Array.from([0x8c, 0x0d, 0x04, 0x63, 0x03]))).toBeUndefined(); // algorithm 99
    expect(cipherFingerprint(fixture('plain.txt.gpg').subarray(0, 15))).toBeUndefined(); // no data packet yet
  });

  it('recognises encrypted 7z archives by the AES coder', () => {
    expect(cipherFingerprint(fixture('plain.7z'))?.name).toBe('7z-aes');
    expect(cipherFingerprint(fixture('plain-noheader-enc.7z'))?.name).toBe('7z-aes');
  });

  it('recognises ZipCrypto and WinZip AES entries, not plain ZIPs', () => {
    expect(cipherFingerprint(fixture('zipcrypto.zip'))?.name).toBe('zip-crypto');
    expect(cipherFingerprint(fixture('zipaes.zip'))).toMatchObject({ name: 'zip-aes', cipher: 'AES-256', detail: 'WinZip AE-2' });
    expect(cipherFingerprint(fixture('plain.zip'))).toBeUndefined();
  });

  it('reports block alignment', () => {
    expect(blockAlignment(3008)).toBe('block-16');
    expect(blockAlignment(24)).toBe('block-8');
    expect(blockAlignment(3001)).toBe('unaligned');
    const enc = fixture('plain.txt.aes256cbc.enc');
    expect(blockAlignment(enc.length - 16)).toBe('block-16');
  });
});

describe('format identification', () => {
  it('names compressed, archive and media formats', () => {
    expect(identifyFormat(fixture('plain.txt.gz'))?.name).toBe('gzip');
    expect(identifyFormat(fixture('plain.zip'))).toEqual({ name: 'zip', family: 'archive' });
    expect(identifyFormat(fixture('plain.7z'))?.name).toBe('7z');
    expect(identifyFormat(fixture('noise.png'))).toEqual({ name: 'png', family: 'image' });
    expect(identifyFormat(fixture('plain.txt.aes256cbc.enc'))?.family).toBe('encrypted');
    expect(identifyFormat(new Uint8Array(gzipSync('x')))?.family).toBe('compressed');
    expect(identifyFormat(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))?.name).toBe('jpeg');
    expect(identifyFormat(Uint8Array.from([0, 0, 0, 0x18, ...Buffer.from('ftypmp42')]))?.name).toBe('mp4');
    expect(identifyFormat(Uint8Array.from([...Buffer.from('RIFF'), 1, 2, 3, 4, ...Buffer.from('WEBPVP8 ')]))?.name).toBe('webp');
    expect(identifyFormat(Uint8Array.from([0x78, 0x9c, 1, 2]))?.name).toBe('zlib');
    expect(identifyFormat(Buffer.from('hello world'))).toBeUndefined();
  });
});
