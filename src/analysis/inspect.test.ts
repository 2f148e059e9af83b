import { readFileSync } from 'node:fs';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classify, inspect } from './inspect.js';
import { keystream } from './testdata/random.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./testdata/${name}`, import.meta.url)));
const text = fixture('plain.txt');
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

describe('classification', () => {
  it('calls raw ciphertext ciphertext at every size from 96 bytes, with its block alignment', () => {
    for (const n of [96, 160, 256, 1000, 4096, 65536]) {
      const c = classify(keystream(n, `c${n}`), n);
      expect(c.verdict, `n=${n}`).toBe('ciphertext');
    }
    expect(classify(keystream(4096), 4096).alignment).toBe('block-16');
    expect(classify(keystream(1000), 1000).alignment).toBe('block-8');
    expect(classify(keystream(1001), 1001).alignment).toBe('unaligned');
  });

  it('does not call short random strings (hashes, tokens) ciphertext', () => {
    expect(classify(keystream(32), 32).verdict).toBe('too-short');
  });

  it('separates ciphertext from compressed data and media', () => {
    expect(classify(fixture('plain.txt.gz'), undefined).verdict).toBe('compressed');
    expect(classify(fixture('noise.png'), undefined)).toMatchObject({ verdict: 'media', format: { name: 'png' } });
    expect(classify(fixture('plain.zip'), undefined).verdict).toBe('compressed');
    // Headerless deflate of text is found by its non-uniform histogram once the sample is large enough.
    const big = new Uint8Array(Buffer.concat(Array.from({ length: 30 }, (_, i) => Buffer.concat([Buffer.from(`${i}`), text]))));
    const deflated = new Uint8Array(deflateRawSync(big));
    expect(deflated.length).toBeGreaterThan(1280);
    expect(classify(deflated, undefined).verdict).not.toBe('ciphertext');
  });

  it('names the tool for fingerprinted ciphertext', () => {
    expect(classify(fixture('plain.txt.aes256cbc.enc'), 3024)).toMatchObject({ verdict: 'ciphertext', fingerprint: { name: 'openssl-salted' }, alignment: 'block-16' });
    expect(classify(fixture('zipaes.zip'), undefined).fingerprint?.name).toBe('zip-aes');
  });

  it('calls text text, and XOR-ed text ciphertext with its key', () => {
    expect(classify(text, text.length).verdict).toBe('text');
    const key = Buffer.from('k3y!');
    const xored = text.map((b, i) => b ^ key[i % 4]!);
    expect(classify(xored, xored.length)).toMatchObject({ verdict: 'ciphertext', fingerprint: { name: 'xor', cipher: 'XOR/4' } });
  });
});

describe('inspection through encodings', () => {
  const cipher = Buffer.from(keystream(600));

  it('finds Base64 ciphertext in a JSON body and records the layer', () => {
    const r = inspect(utf8(JSON.stringify({ user: 'bob', blob: cipher.toString('base64') })), undefined);
    expect(r).toMatchObject({ verdict: 'ciphertext', layers: ['base64'], bytes: 600 });
  });

  it('peels percent-encoding then Base64 in a form body', () => {
    const form = `name=report&data=${encodeURIComponent(cipher.toString('base64'))}`;
    expect(inspect(utf8(form), form.length)).toMatchObject({ verdict: 'ciphertext', layers: ['percent', 'base64'] });
  });

  it('finds hex and Base32 ciphertext', () => {
    expect(inspect(utf8(`x ${cipher.toString('hex')} y`), undefined).layers).toEqual(['hex']);
  });

  it('finds openssl ciphertext sent Base64-encoded (openssl enc -a)', () => {
    const b64 = Buffer.from(fixture('plain.txt.aes256cbc.enc')).toString('base64').replace(/.{64}/g, '$&\n');
    const r = inspect(utf8(b64), b64.length);
    expect(r).toMatchObject({ verdict: 'ciphertext', layers: ['base64'], fingerprint: { name: 'openssl-salted' }, alignment: 'block-16' });
  });

  it('finds gpg -a output through its armour', () => {
    expect(inspect(fixture('plain.txt.asc'), undefined)).toMatchObject({ verdict: 'ciphertext', layers: ['pgp-armor'], fingerprint: { name: 'openpgp-symmetric' } });
  });

  it('finds a Base64 attachment in quoted-printable-free MIME and a QP body as text', () => {
    const qp = 'Subject: hi\r\n\r\nCaf=C3=A9 au lait, a long line that is soft=\r\nbroken here and =\r\nthere.\r\n';
    expect(inspect(utf8(qp), qp.length).verdict).toBe('text');
  });

  it('does not flag benign look-alikes: Base64 images, gzip, JWTs, plain CSV', () => {
    const png = Buffer.from(fixture('noise.png')).toString('base64');
    expect(inspect(utf8(JSON.stringify({ avatar: `data:image/png;base64,${png}` })), undefined)).toMatchObject({ verdict: 'media', layers: ['base64'] });
    const gz = Buffer.from(gzipSync(text)).toString('base64');
    expect(inspect(utf8(gz), gz.length).verdict).toBe('compressed');
    const jwt = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"42"}').toString('base64url')}.${Buffer.from(keystream(256)).toString('base64url')}`;
    expect(inspect(utf8(`Bearer ${jwt}`), undefined).verdict).not.toBe('ciphertext');
    const csv = Array.from({ length: 200 }, (_, i) => `${i},user${i},${(i * 7919) % 1000}.00,2024-01-${(i % 28) + 1}`).join('\n');
    expect(inspect(utf8(csv), csv.length).verdict).toBe('text');
  });

  it('stays linear on 1 MiB of "/" and "A" (work bounded by the budget, not the structure)', () => {
    for (const fill of [0x2f, 0x41, 0x25]) {
      const sample = new Uint8Array(1 << 20).fill(fill);
      const r = inspect(sample, sample.length);
      expect(r.verdict).not.toBe('ciphertext');
      expect(r.work).toBeLessThanOrEqual(sample.length * 24 + 4 * (1 << 20));
    }
  });

  it('stops at the layer cap on deeply nested encodings', async () => {
    let layered = Buffer.from(cipher);
    for (let i = 0; i < 8; i++) layered = Buffer.from(layered.toString('base64'));
    const deep = inspect(new Uint8Array(layered), layered.length);
    expect(deep.verdict).toBe('text'); // four Base64 layers peeled, four still to go
    const shallow = inspect(new Uint8Array(layered), layered.length, { ...(await import('./inspect.js')).INSPECT_DEFAULTS, maxLayers: 8 });
    expect(shallow).toMatchObject({ verdict: 'ciphertext', bytes: 600 });
  });
});

describe('scans ruled out by byte counts', () => {
  // Two texts of one length: the first has no dash, `%` or `=` (armour and escape scans are skipped), the
  // second has enough of each (and every letter of the armour line) that both scans run and find nothing. The work charged must be the same,
  // so that whether a scan was skipped never moves the work budget or what it lets through.
  const words = `BEGIN PGP MESSAGE ${Array.from({ length: 400 }, (_, i) => `word${i * 7919 % 1000}`).join(' ')}`;
  const plain = utf8(words);
  let spaces = 0;
  const marked = utf8(words.replace(/ /g, (space) => ['-', '%', '=', space][spaces++ % 4]!));

  it('charges a skipped scan as if it ran', () => {
    expect(marked.length).toBe(plain.length);
    const a = inspect(plain, plain.length);
    const b = inspect(marked, marked.length);
    expect(a.verdict).toBe('text');
    expect(b.verdict).toBe('text');
    expect(a.work).toBe(b.work);
  });

  it('stops at the same point of a tight work budget either way', async () => {
    const { INSPECT_DEFAULTS } = await import('./inspect.js');
    for (const workFactor of [2, 3, 4]) {
      const a = inspect(plain, plain.length, { ...INSPECT_DEFAULTS, workFactor });
      const b = inspect(marked, marked.length, { ...INSPECT_DEFAULTS, workFactor });
      expect([a.work, a.truncated]).toEqual([b.work, b.truncated]);
    }
  });
});
