// Typed access to one Zeek log row, whichever format it came from (TSV or JSON). A used value that does
// not parse as its Zeek type throws BadValue, and the reader skips that line with a counted reason.

export class BadValue extends Error {
  constructor(readonly field: string, readonly value: string, readonly expected: string) {
    super(`${field}: ${JSON.stringify(value.slice(0, 80))} is not a valid ${expected}`);
  }
}

/**
 * A column the log mappings read. Fields are numbered as they are declared, so a TSV header block can resolve
 * each one to its column index once instead of looking names up on every row.
 */
export interface Field {
  readonly name: string;
  readonly id: number;
}

const declared: Field[] = [];

export function field(name: string): Field {
  if (name in Object.prototype) throw new Error(`field name ${name} is a member of Object.prototype`);
  const declaredField = { name, id: declared.length };
  declared.push(declaredField);
  return declaredField;
}

/** Every field declared so far, indexed by id. */
export function declaredFields(): readonly Field[] {
  return declared;
}

/** Raw access to a row's fields: undefined for an absent or unset field. */
export interface Row {
  /** A scalar field as text. */
  text(field: Field): string | undefined;
  /** A set or vector field as its elements (an empty array for Zeek's `(empty)`). */
  list(field: Field): string[] | undefined;
  /**
   * Fast paths for formats that can parse a number without copying it out: undefined when unset, NaN when the
   * value must be read as text instead (malformed, or a form the fast path leaves to the general parser).
   */
  digits?(field: Field): number | undefined;
  decimal?(field: Field): number | undefined;
}

/** Decimal text as Zeek writes doubles: optional minus, digits, optional fraction and exponent. */
function isDecimal(value: string): boolean {
  let i = value.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const digitsFrom = i;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  if (i === digitsFrom) return false;
  if (value.charCodeAt(i) === 46 /* . */) {
    const fractionFrom = ++i;
    while (i < value.length && isDigit(value.charCodeAt(i))) i++;
    if (i === fractionFrom) return false;
  }
  if (i < value.length && (value.charCodeAt(i) | 0x20) === 101 /* e */) {
    i++;
    if (value.charCodeAt(i) === 43 || value.charCodeAt(i) === 45) i++;
    const exponentFrom = i;
    while (i < value.length && isDigit(value.charCodeAt(i))) i++;
    if (i === exponentFrom) return false;
  }
  return i === value.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * `[-]digits[.digits]` in text[from, to) without copying it out, NaN for anything else or more digits than a
 * double holds exactly. Exact: the digits form an integer below 2^53 and dividing it by a power of ten rounds
 * once, as Number() does with the decimal text.
 */
export function decimalAt(text: string, from: number, to: number): number {
  const negative = text.charCodeAt(from) === 45; /* - */
  let i = negative ? from + 1 : from;
  const wholeFrom = i;
  let n = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (i === wholeFrom) return NaN;
  let scale = 1;
  if (i < to) {
    if (text.charCodeAt(i) !== 46 /* . */ || i + 1 === to) return NaN;
    for (i++; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      n = n * 10 + (c - 48);
      scale *= 10;
    }
  }
  if (to - wholeFrom > 17 || n > Number.MAX_SAFE_INTEGER) return NaN;
  const value = scale === 1 ? n : n / scale;
  return negative ? -value : value;
}

/** Digits only, at most 16 of them, in text[from, to) (so the value stays below 2^53 for the check that follows). */
export function countAt(text: string, from: number, to: number): number {
  if (to === from || to - from > 16) return NaN;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    n = n * 10 + (c - 48);
  }
  return n;
}

export function str(row: Row, field: Field): string | undefined {
  return row.text(field);
}

/** Zeek `time`/`interval`/`double`: a decimal number. */
export function real(row: Row, field: Field): number | undefined {
  const fast = row.decimal?.(field);
  if (fast !== undefined && !Number.isNaN(fast)) return fast;
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (!isDecimal(value)) throw new BadValue(field.name, value, 'number');
  return Number(value);
}

/** Zeek `count`/`port`: a non-negative integer that a double holds exactly. */
export function count(row: Row, field: Field): number | undefined {
  const fast = row.digits?.(field);
  if (fast !== undefined && !Number.isNaN(fast)) return fast;
  const value = row.text(field);
  if (value === undefined) return undefined;
  const n = countAt(value, 0, value.length);
  if (Number.isNaN(n)) throw new BadValue(field.name, value, 'count');
  if (!Number.isSafeInteger(n)) throw new BadValue(field.name, value, 'count below 2^53');
  return n;
}

export function port(row: Row, field: Field): number | undefined {
  const n = count(row, field);
  if (n !== undefined && n > 65535) throw new BadValue(field.name, String(n), 'port');
  return n;
}

export function bool(row: Row, field: Field): boolean | undefined {
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (value === 'T' || value === 'true') return true;
  if (value === 'F' || value === 'false') return false;
  throw new BadValue(field.name, value, 'bool');
}

/** Zeek `addr`: IPv4 dotted quad or IPv6 text; checked by shape, not resolved. */
export function addr(row: Row, field: Field): string | undefined {
  const value = row.text(field);
  if (value === undefined) return undefined;
  if (!isAddress(value)) throw new BadValue(field.name, value, 'address');
  return value;
}

/** A required address: rows without their endpoints are not usable. */
export function requiredAddr(row: Row, field: Field): string {
  const value = addr(row, field);
  if (value === undefined) throw new BadValue(field.name, '-', 'address (required)');
  return value;
}

function isAddress(value: string): boolean {
  if (value.length === 0 || value.length > 45) return false;
  return isIpv4(value) || (value.includes(':') && isIpv6Text(value));
}

/** Dotted quad: four groups of 1–3 digits, each at most 255. One pass, as most addresses in logs are IPv4. */
function isIpv4(value: string): boolean {
  let dots = 0;
  let digits = 0;
  let group = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || group > 255 || ++dots > 3) return false;
      digits = 0;
      group = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      group = group * 10 + (c - 48);
      digits++;
    } else {
      return false;
    }
  }
  return dots === 3 && digits > 0 && group <= 255;
}

/** IPv6 text by its alphabet (hex digits, colons, embedded IPv4 dots, `%` zone). */
function isIpv6Text(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok = isDigit(c) || c === 58 || ((c | 0x20) >= 97 && (c | 0x20) <= 102) || c === 46 || c === 37;
    if (!ok) return false;
  }
  return true;
}
