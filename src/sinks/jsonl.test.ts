import { describe, expect, it } from 'vitest';
import { toJsonLine } from './jsonl.js';

describe('JSON lines', () => {
  it('writes byte samples as base64, whether a Uint8Array or a Buffer (whose own toJSON would give a number array)', () => {
    const bytes = Uint8Array.from([0, 1, 250, 255]);
    const line = toJsonLine({ a: bytes, b: Buffer.from([0, 1, 250, 255]), c: Buffer.from('xyz').subarray(1), nested: [Buffer.from([7])] });
    expect(JSON.parse(line)).toEqual({ a: { base64: 'AAH6/w==' }, b: { base64: 'AAH6/w==' }, c: { base64: Buffer.from('yz').toString('base64') }, nested: [{ base64: 'Bw==' }] });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
  });

  it('writes maps as objects and big integers as text', () => {
    expect(JSON.parse(toJsonLine({ m: new Map([['k', 1]]), n: 2n ** 70n }))).toEqual({ m: { k: 1 }, n: '1180591620717411303424' });
  });
});
