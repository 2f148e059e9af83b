// Binary XML value decoding: exact 64-bit integers, Windows renderings of hex, GUID, SID and times, arrays.
import { describe, expect, it } from 'vitest';
import { decodeInline, decodeSized, filetime, TYPE, ValueError } from './values.js';

function sized(type: number, bytes: number[] | Buffer): unknown {
  const buf = Buffer.from(bytes);
  return decodeSized(buf, 0, buf.length, type);
}

function le64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

describe('EVTX values', () => {
  it('keeps 64-bit integers exact: numbers when safe, decimal strings beyond 2^53', () => {
    expect(sized(TYPE.UINT64, le64(2n ** 53n - 1n))).toBe(2 ** 53 - 1);
    expect(sized(TYPE.UINT64, le64(2n ** 53n + 1n))).toBe('9007199254740993');
    expect(sized(TYPE.UINT64, le64(2n ** 64n - 1n))).toBe('18446744073709551615');
    expect(sized(TYPE.INT64, le64(2n ** 64n - 1n))).toBe(-1);
    expect(sized(TYPE.INT64, le64(2n ** 63n))).toBe('-9223372036854775808');
  });

  it('renders hex integers and size_t as Windows does, without leading zeros', () => {
    expect(sized(TYPE.HEX64, le64(0x8000000000000000n))).toBe('0x8000000000000000');
    expect(sized(TYPE.HEX64, le64(0x3e7n))).toBe('0x3e7');
    expect(sized(TYPE.HEX32, [0, 0, 0, 0])).toBe('0x0');
    expect(sized(TYPE.SIZE_T, [0x10, 0, 0, 0])).toBe('0x10');
  });

  it('renders FILETIME with all seven fractional digits, also past 2^53 ticks', () => {
    // 2012-03-14T04:17:43.3545627Z = 129761722633545627 ticks since 1601.
    expect(filetime(le64(129761722633545627n), 0)).toBe('2012-03-14T04:17:43.3545627Z');
    expect(filetime(le64(0n), 0)).toBe('1601-01-01T00:00:00.0000000Z');
  });

  it('renders SYSTEMTIME, GUID and SID', () => {
    const st = Buffer.alloc(16);
    [2024, 2, 4, 29, 23, 59, 58, 7].forEach((v, i) => st.writeUInt16LE(v, 2 * i));
    expect(sized(TYPE.SYSTEMTIME, st)).toBe('2024-02-29T23:59:58.007Z');
    const g = Buffer.from('5f3857772ac2e043bf4c06f5698ffbd9', 'hex');
    expect(sized(TYPE.GUID, g)).toBe('{7757385f-c22a-43e0-bf4c-06f5698ffbd9}');
    expect(sized(TYPE.SID, [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])).toBe('S-1-5-18');
    expect(() => sized(TYPE.SID, [1, 5, 0, 0, 0, 0, 0, 5])).toThrow(ValueError);
  });

  it('decodes strings without their NUL padding, and arrays', () => {
    expect(sized(TYPE.WSTRING, Buffer.from('cmd.exe\0\0', 'utf16le'))).toBe('cmd.exe');
    expect(sized(TYPE.ANSI, Buffer.from('caf\xe9\0', 'latin1'))).toBe('café');
    expect(sized(TYPE.ARRAY | TYPE.WSTRING, Buffer.from('\0a\0\0b\0', 'utf16le'))).toEqual(['', 'a', '', 'b']);
    expect(sized(TYPE.ARRAY | TYPE.UINT16, [1, 0, 2, 0])).toEqual([1, 2]);
    expect(() => sized(TYPE.ARRAY | TYPE.UINT32, [1, 0, 2])).toThrow(ValueError);
    expect(sized(TYPE.BOOL, [1, 0, 0, 0])).toBe(true);
    expect(sized(TYPE.BINARY, [0xde, 0xad])).toBe('DEAD');
    expect(sized(TYPE.NULL, [])).toBeNull();
  });

  it('refuses inline values that overrun their fragment', () => {
    const buf = Buffer.from([0xff, 0xff, 0x41, 0]);
    expect(() => decodeInline(buf, 0, buf.length, TYPE.WSTRING)).toThrow(ValueError);
    expect(decodeInline(Buffer.from([2, 0, 0x41, 0, 0x42, 0]), 0, 6, TYPE.WSTRING)).toEqual({ value: 'AB', size: 6 });
  });
});
