// Binary XML value types (MS-EVEN6 §2.2.18 "Value types"; libevtx "Windows XML Event Log (EVTX) format" §4):
// decoding one typed value into a JSON-friendly form. Integers that a JS number cannot hold exactly are
// rendered as decimal strings, never rounded; hex integers, GUIDs, SIDs and times as Windows renders them.

/** A decoded value: nested Binary XML (type 0x21) is returned as a marker for the caller to parse. */
export type Scalar = string | number | boolean | null;
export type Value = Scalar | Scalar[];

export const TYPE = {
  NULL: 0x00,
  WSTRING: 0x01,
  ANSI: 0x02,
  INT8: 0x03,
  UINT8: 0x04,
  INT16: 0x05,
  UINT16: 0x06,
  INT32: 0x07,
  UINT32: 0x08,
  INT64: 0x09,
  UINT64: 0x0a,
  REAL32: 0x0b,
  REAL64: 0x0c,
  BOOL: 0x0d,
  BINARY: 0x0e,
  GUID: 0x0f,
  SIZE_T: 0x10,
  FILETIME: 0x11,
  SYSTEMTIME: 0x12,
  SID: 0x13,
  HEX32: 0x14,
  HEX64: 0x15,
  EVT_HANDLE: 0x20,
  BINXML: 0x21,
  EVT_XML: 0x23,
  ARRAY: 0x80,
} as const;

/** Fixed element sizes; 0 for variable-size types. */
const FIXED_SIZE = new Map<number, number>([
  [TYPE.INT8, 1], [TYPE.UINT8, 1], [TYPE.INT16, 2], [TYPE.UINT16, 2], [TYPE.INT32, 4], [TYPE.UINT32, 4],
  [TYPE.INT64, 8], [TYPE.UINT64, 8], [TYPE.REAL32, 4], [TYPE.REAL64, 8], [TYPE.BOOL, 4], [TYPE.GUID, 16],
  [TYPE.FILETIME, 8], [TYPE.SYSTEMTIME, 16], [TYPE.HEX32, 4], [TYPE.HEX64, 8], [TYPE.EVT_HANDLE, 8],
]);

export class ValueError extends Error {}

/** A value as text, for when it shares an element or attribute with other parts (arrays comma-joined). */
export function valueText(value: Value): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (v === null ? '' : String(v))).join(',');
  return String(value);
}

const ansiDecoder = new TextDecoder('windows-1252');
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_UPPER = HEX.map((h) => h.toUpperCase());

/** UTF-16LE text with trailing NULs removed (Windows pads and terminates strings with them). */
export function utf16(buf: Buffer, start: number, end: number): string {
  let stop = end - ((end - start) & 1);
  while (stop - 2 >= start && buf[stop - 1] === 0 && buf[stop - 2] === 0) stop -= 2;
  return buf.toString('utf16le', start, stop);
}

function ansi(buf: Buffer, start: number, end: number): string {
  let stop = end;
  while (stop > start && buf[stop - 1] === 0) stop--;
  return ansiDecoder.decode(buf.subarray(start, stop));
}

/** An unsigned 64-bit integer: a number when exact, else its decimal string. */
function u64(buf: Buffer, at: number): number | string {
  const lo = buf.readUInt32LE(at);
  const hi = buf.readUInt32LE(at + 4);
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return buf.readBigUInt64LE(at).toString();
}

function i64(buf: Buffer, at: number): number | string {
  const n = buf.readBigInt64LE(at);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** Hex as Windows renders HexInt32/HexInt64: `0x` and lowercase digits without leading zeros. */
function hexInt(buf: Buffer, at: number, size: number): string {
  let i = at + size - 1;
  while (i > at && buf[i] === 0) i--;
  let out = '0x' + buf[i]!.toString(16);
  for (i--; i >= at; i--) out += HEX[buf[i]!];
  return out;
}

/** `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, lowercase, as in Windows' XML rendering; first three groups little-endian. */
export function guid(buf: Buffer, at: number): string {
  const h = (i: number): string => HEX[buf[at + i]!]!;
  return `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`;
}

const FILETIME_UNIX_EPOCH_SECONDS = 11644473600;

/** FILETIME (100 ns ticks since 1601) as ISO 8601 UTC with all seven fractional digits. */
export function filetime(buf: Buffer, at: number): string {
  const lo = buf.readUInt32LE(at);
  const hi = buf.readUInt32LE(at + 4);
  let seconds: number;
  let ticks: number;
  // 2^32 = 429·10^7 + 4967296; the remainder stays exact in a double while hi < 2^30.
  if (hi < 0x40000000) {
    const rest = hi * 4967296 + lo;
    seconds = hi * 429 + Math.floor(rest / 1e7);
    ticks = rest % 1e7;
  } else {
    const big = buf.readBigUInt64LE(at);
    seconds = Number(big / 10_000_000n);
    ticks = Number(big % 10_000_000n);
  }
  const date = new Date((seconds - FILETIME_UNIX_EPOCH_SECONDS) * 1000);
  if (Number.isNaN(date.getTime())) return `FILETIME(0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')})`;
  return `${date.toISOString().slice(0, -5)}.${String(ticks).padStart(7, '0')}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** SYSTEMTIME (year, month, weekday, day, hour, minute, second, milliseconds) as ISO 8601 UTC. */
function systemtime(buf: Buffer, at: number): string {
  const f = (i: number): number => buf.readUInt16LE(at + 2 * i);
  return `${pad(f(0), 4)}-${pad(f(1), 2)}-${pad(f(3), 2)}T${pad(f(4), 2)}:${pad(f(5), 2)}:${pad(f(6), 2)}.${pad(f(7), 3)}Z`;
}

/** A security identifier: revision, 48-bit big-endian authority, then 32-bit sub-authorities. */
function sid(buf: Buffer, at: number, end: number): { text: string; size: number } {
  if (end - at < 8) throw new ValueError('SID shorter than 8 bytes');
  const count = buf[at + 1]!;
  const size = 8 + 4 * count;
  if (at + size > end) throw new ValueError(`SID with ${count} sub-authorities overruns its value`);
  const authority = buf.readUInt16BE(at + 2) * 0x100000000 + buf.readUInt32BE(at + 4);
  let text = `S-${buf[at]}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${buf.readUInt32LE(at + 8 + 4 * i)}`;
  return { text, size };
}

function binaryHex(buf: Buffer, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX_UPPER[buf[i]!];
  return out;
}

/** One fixed-size scalar of `type` at `at` (the caller checked `at + size <= end`). */
function fixed(buf: Buffer, at: number, type: number, size: number): Scalar {
  switch (type) {
    case TYPE.INT8: return buf.readInt8(at);
    case TYPE.UINT8: return buf[at]!;
    case TYPE.INT16: return buf.readInt16LE(at);
    case TYPE.UINT16: return buf.readUInt16LE(at);
    case TYPE.INT32: return buf.readInt32LE(at);
    case TYPE.UINT32: return buf.readUInt32LE(at);
    case TYPE.INT64: return i64(buf, at);
    case TYPE.UINT64: case TYPE.EVT_HANDLE: return u64(buf, at);
    case TYPE.REAL32: return buf.readFloatLE(at);
    case TYPE.REAL64: return buf.readDoubleLE(at);
    case TYPE.BOOL: return buf.readInt32LE(at) !== 0;
    case TYPE.GUID: return guid(buf, at);
    case TYPE.FILETIME: return filetime(buf, at);
    case TYPE.SYSTEMTIME: return systemtime(buf, at);
    case TYPE.HEX32: case TYPE.HEX64: return hexInt(buf, at, size);
    default: throw new ValueError(`value type 0x${type.toString(16)} is not fixed-size`);
  }
}

/** Splits NUL-separated UTF-16 strings (a string array); a final terminator does not add an empty string. */
function utf16Array(buf: Buffer, start: number, end: number): string[] {
  const out: string[] = [];
  let from = start;
  for (let i = start; i + 1 < end; i += 2) {
    if (buf[i] === 0 && buf[i + 1] === 0) {
      out.push(buf.toString('utf16le', from, i));
      from = i + 2;
    }
  }
  if (from + 1 < end) out.push(buf.toString('utf16le', from, end - ((end - from) & 1)));
  return out;
}

/**
 * Decodes a value of `type` occupying exactly [start, end) (a substitution value, whose size is known).
 * Binary XML (0x21) is not handled here: the caller parses it as a fragment.
 */
export function decodeSized(buf: Buffer, start: number, end: number, type: number): Value {
  const size = end - start;
  if (type & TYPE.ARRAY) {
    const base = type & 0x7f;
    if (base === TYPE.WSTRING) return utf16Array(buf, start, end);
    if (base === TYPE.ANSI) return ansi(buf, start, end).split('\0');
    if (base === TYPE.SID) {
      const out: string[] = [];
      for (let at = start; at < end; ) {
        const s = sid(buf, at, end);
        out.push(s.text);
        at += s.size;
      }
      return out;
    }
    const width = base === TYPE.SIZE_T ? 8 : FIXED_SIZE.get(base);
    if (width === undefined) throw new ValueError(`array of value type 0x${base.toString(16)}`);
    if (size % width !== 0) throw new ValueError(`array of ${size} bytes is not a whole number of ${width}-byte items`);
    const out: Scalar[] = [];
    for (let at = start; at < end; at += width) out.push(base === TYPE.SIZE_T ? hexInt(buf, at, 8) : fixed(buf, at, base, width));
    return out;
  }
  switch (type) {
    case TYPE.NULL: return null;
    case TYPE.WSTRING: return utf16(buf, start, end);
    case TYPE.ANSI: return ansi(buf, start, end);
    case TYPE.BINARY: return binaryHex(buf, start, end);
    case TYPE.SID: return sid(buf, start, end).text;
    case TYPE.SIZE_T:
      if (size !== 4 && size !== 8) throw new ValueError(`size_t of ${size} bytes`);
      return hexInt(buf, start, size);
    case TYPE.EVT_XML: return utf16(buf, start, end);
    default: {
      const want = FIXED_SIZE.get(type);
      if (want === undefined) throw new ValueError(`unknown value type 0x${type.toString(16)}`);
      if (size < want) throw new ValueError(`value type 0x${type.toString(16)} needs ${want} bytes, has ${size}`);
      return fixed(buf, start, type, want);
    }
  }
}

/**
 * Decodes a value token's inline value (no size given): strings carry a 16-bit character count,
 * binary a 32-bit byte count, the rest their fixed size. Returns the value and the bytes it used.
 */
export function decodeInline(buf: Buffer, at: number, end: number, type: number): { value: Value; size: number } {
  let start = at;
  let stop: number;
  if (type === TYPE.WSTRING || type === TYPE.ANSI) {
    if (at + 2 > end) throw new ValueError('value length overruns the record');
    const units = buf.readUInt16LE(at);
    start = at + 2;
    stop = start + (type === TYPE.WSTRING ? 2 * units : units);
  } else if (type === TYPE.BINARY) {
    if (at + 4 > end) throw new ValueError('value length overruns the record');
    start = at + 4;
    stop = start + buf.readUInt32LE(at);
  } else if (type === TYPE.SID) {
    if (at + 2 > end) throw new ValueError('SID overruns the record');
    stop = at + 8 + 4 * buf[at + 1]!;
  } else if (type === TYPE.NULL) {
    stop = at;
  } else {
    const width = type === TYPE.SIZE_T ? 8 : FIXED_SIZE.get(type);
    if (width === undefined) throw new ValueError(`value token of type 0x${type.toString(16)}`);
    stop = at + width;
  }
  if (stop > end) throw new ValueError('value overruns the record');
  return { value: decodeSized(buf, start, stop, type), size: stop - at };
}
