import { describe, expect, it } from 'vitest';
import {
  countEscapes, dearmor, decodePercent, decodeQuotedPrintable, decodeRun, findEncodedRuns, mayHoldArmor, mayHoldEscapes, WorkMeter,
} from './encodings.js';
import { ContentStats } from './stats.js';
import { keystream } from './testdata/random.js';

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const runsOf = (s: string, minRun = 16) => findEncodedRuns(bytes(s), { minRun, maxRuns: 8 }, new WorkMeter());

function decodeFirst(s: string, slashSeparates = false): { encoding: string; hex: string } {
  const input = bytes(s);
  const run = findEncodedRuns(input, { minRun: 16, maxRuns: 1, slashSeparates }, new WorkMeter())[0]!;
  return { encoding: run.encoding, hex: Buffer.from(decodeRun(input, run, 1 << 20, new WorkMeter())).toString('hex') };
}

describe('encoded-run scanner', () => {
  const secret = Buffer.from(keystream(45));

  it('finds and decodes each Base-N alphabet', () => {
    expect(decodeFirst(`data=${secret.toString('base64')}&x=1`)).toEqual({ encoding: 'base64', hex: secret.toString('hex') });
    expect(decodeFirst(`/u/${secret.toString('base64url')}?q`, true)).toEqual({ encoding: 'base64url', hex: secret.toString('hex') });
    expect(decodeFirst(`"v":"${secret.toString('hex')}"`)).toEqual({ encoding: 'hex', hex: secret.toString('hex') });
    // RFC 4648 §10 test vector, upper case and (as DNS labels carry it) lower case.
    expect(decodeFirst('MZXW6YTBOJTG633CMFZGM33PEE======')).toEqual({ encoding: 'base32', hex: Buffer.from('foobarfoobarfoo!').toString('hex') });
    expect(decodeFirst('mzxw6ytbojtg633cmfzgm33pee.example.com')).toEqual({ encoding: 'base32', hex: Buffer.from('foobarfoobarfoo!').toString('hex') });
  });

  it('joins MIME-wrapped Base64 lines into one run', () => {
    const body = keystream(300);
    const wrapped = Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n');
    const runs = runsOf(`Content-Transfer-Encoding: base64\r\n\r\n${wrapped}\r\n--boundary--`);
    expect(runs[0]!.chars).toBe(400);
    expect(runs.slice(1).map((r) => r.chars)).toEqual([25]); // "Content-Transfer-Encoding" is Base64url-shaped
    expect(Buffer.from(decodeRun(bytes(wrapped), findEncodedRuns(bytes(wrapped), { minRun: 16, maxRuns: 1 }, new WorkMeter())[0]!, 1 << 20, new WorkMeter()))).toEqual(Buffer.from(body));
  });

  it('flags every part of a JSON Web Token', () => {
    const jwt = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1234567890","name":"John"}').toString('base64url')}.${Buffer.from(keystream(256)).toString('base64url')}`;
    const runs = runsOf(`Authorization: Bearer ${jwt}\r\n`);
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.jwt)).toBe(true);
    expect(runsOf(`id=${Buffer.from(keystream(64)).toString('base64url')}.x`)[0]!.jwt).toBe(false);
  });

  it('ignores runs shorter than the minimum and keeps the longest first', () => {
    const runs = runsOf(`a=${'Q'.repeat(20)}&b=${'R'.repeat(40)}&c=short`);
    expect(runs.map((r) => r.chars)).toEqual([40, 20]);
  });

  it('scans 1 MiB of "/" or "A" in one linear pass', () => {
    for (const fill of ['/', 'A', '=', '%']) {
      const meter = new WorkMeter();
      const input = new Uint8Array(1 << 20).fill(fill.charCodeAt(0));
      const runs = findEncodedRuns(input, { minRun: 32, maxRuns: 4 }, meter);
      expect(meter.units).toBe(input.length);
      expect(runs.length).toBeLessThanOrEqual(1);
    }
  });

  it('decodes at most the configured characters of a run', () => {
    const input = new Uint8Array(1 << 20).fill(0x41);
    const run = findEncodedRuns(input, { minRun: 32, maxRuns: 1 }, new WorkMeter())[0]!;
    expect(decodeRun(input, run, 4096, new WorkMeter()).length).toBeLessThanOrEqual(4096);
  });
});

describe('escape decoders', () => {
  it('percent-decodes URIs and forms', () => {
    expect(Buffer.from(decodePercent(bytes('a%2Bb%2F%3D+c%zz'), true, new WorkMeter())).toString('latin1')).toBe('a+b/= c%zz');
    expect(Buffer.from(decodePercent(bytes('a+b'), false, new WorkMeter())).toString()).toBe('a+b');
  });

  it('decodes quoted-printable with soft line breaks', () => {
    expect(Buffer.from(decodeQuotedPrintable(bytes('caf=C3=A9 =\r\nlong=\nline=3D'), new WorkMeter())).toString()).toBe('café longline=');
    expect(countEscapes(bytes('x=C3=A9=\r\n%41%4a'), new WorkMeter())).toEqual({ percent: 2, qp: 2, softBreaks: 1 });
  });

  it('removes PGP ASCII armour', () => {
    const body = keystream(100);
    const armored = `-----BEGIN PGP MESSAGE-----\nComment: x\n\n${Buffer.from(body).toString('base64').replace(/.{64}/g, '$&\n')}\n=abcd\n-----END PGP MESSAGE-----\n`;
    expect(Buffer.from(dearmor(bytes(armored), new WorkMeter())!)).toEqual(Buffer.from(body));
    expect(dearmor(bytes('no armour here'), new WorkMeter())).toBeUndefined();
  });
});

describe('scans ruled out by byte counts', () => {
  const countsOf = (input: Uint8Array): ContentStats => {
    const counts = new ContentStats();
    counts.add(input);
    return counts;
  };

  it('rules out armour only when the armour line cannot be there', () => {
    const armored = bytes(`x\n-----BEGIN PGP MESSAGE-----\n\n${Buffer.from(keystream(60)).toString('base64')}\n-----END PGP MESSAGE-----\n`);
    expect(mayHoldArmor(countsOf(armored))).toBe(true);
    // Nine dashes are one short of the line; an "M" short as well.
    expect(mayHoldArmor(countsOf(bytes('----BEGIN PGP MESSAGE-----')))).toBe(false);
    expect(mayHoldArmor(countsOf(bytes('-----BEGIN PGP ESSAGE-----')))).toBe(false);
    expect(mayHoldArmor(countsOf(bytes('-----BEGIN PGP MESSAGE-----')))).toBe(true);
  });

  it('never rules out armour that dearmor would find, over damaged and shuffled armour lines', () => {
    const line = '-----BEGIN PGP MESSAGE-----';
    const noise = keystream(4000, 'armour');
    const ruledOut = { yes: 0, no: 0 };
    for (let k = 0; k < 400; k++) {
      // Drop or swap one character of the line, inside text that has some of its letters.
      const at = noise[k]! % line.length;
      const variant = k % 2 === 0 ? line.slice(0, at) + line.slice(at + 1) : line.slice(0, at) + String.fromCharCode(0x20 + (noise[k + 1]! % 95)) + line.slice(at + 1);
      const input = bytes(`PGP -- ${variant}\n\nQUJD\n`);
      if (mayHoldArmor(countsOf(input))) ruledOut.no++;
      else {
        ruledOut.yes++;
        expect(dearmor(input, new WorkMeter())).toBeUndefined();
      }
    }
    expect(ruledOut.yes).toBeGreaterThan(50);
    expect(ruledOut.no).toBeGreaterThan(50);
  });

  it('rules out escapes only when there are too few % and = signs to reach the counts that matter', () => {
    const escaped = (n: number, prefix: string): Uint8Array => bytes(Array.from({ length: n }, (_, i) => `${prefix}${(i % 200 + 16).toString(16).toUpperCase()}x`).join(''));
    expect(mayHoldEscapes(countsOf(escaped(8, '%')), 8)).toBe(true);
    expect(mayHoldEscapes(countsOf(escaped(7, '%')), 8)).toBe(false);
    expect(countEscapes(escaped(7, '%'), new WorkMeter()).percent).toBe(7);
    // Two `=` may be two soft line breaks: enough for quoted-printable whatever the escape count.
    expect(mayHoldEscapes(countsOf(bytes('a=\r\nb=\r\nc')), 8)).toBe(true);
    expect(mayHoldEscapes(countsOf(bytes('a=\r\nb')), 8)).toBe(false);
    // Around the threshold: about eight `%` per 100 bytes, a rare `=` and many hex digits.
    const noise = keystream(20000, 'escapes');
    const ruledOut = { yes: 0, no: 0 };
    for (let k = 0; k < 200; k++) {
      const input = noise.subarray(k * 100, k * 100 + 100).map((b) => (b < 20 ? 0x25 : b === 20 ? 0x3d : b < 160 ? 0x41 + (b % 6) : b));
      if (mayHoldEscapes(countsOf(input), 8)) {
        ruledOut.no++;
        continue;
      }
      ruledOut.yes++;
      const found = countEscapes(input, new WorkMeter());
      expect(found.percent < 8 && found.qp < 8 && found.softBreaks < 2).toBe(true);
    }
    expect(ruledOut.yes).toBeGreaterThan(20);
    expect(ruledOut.no).toBeGreaterThan(20);
  });
});
